package io.flowfabric.sqlite.contract;

import io.flowfabric.api.Engine;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.sqlite.SqliteEngine;
import io.flowfabric.sqlite.SqliteOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Opens SQLite engines on fresh database files for the contract suites. */
final class SqliteContractEngines {
    private SqliteContractEngines() {
    }

    /** An engine with the default options, reconciler loops included (the worker runtime suites rely on them). */
    static Mono<Engine> open(Clock clock) {
        return open(clock, ReconcilerSettings.defaults());
    }

    static Mono<Engine> open(Clock clock, ReconcilerSettings reconcilers) {
        try {
            Path dir = Files.createTempDirectory("flowfabric-contract");
            Path file = dir.resolve("engine.db");
            // Deleted at exit in reverse order of registration: the database files first, then the
            // directory, which can only be deleted once it is empty.
            dir.toFile().deleteOnExit();
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                dir.resolve(file.getFileName() + suffix).toFile().deleteOnExit();
            }
            return SqliteEngine.open(SqliteOptions.file(file).withClock(clock)
                    .withReconcilers(reconcilers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
