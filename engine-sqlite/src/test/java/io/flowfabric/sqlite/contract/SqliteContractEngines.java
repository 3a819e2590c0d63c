package io.flowfabric.sqlite.contract;

import io.flowfabric.api.Engine;
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

    static Mono<Engine> open(Clock clock) {
        try {
            Path dir = Files.createTempDirectory("flowfabric-contract");
            dir.toFile().deleteOnExit();
            return SqliteEngine.open(SqliteOptions.file(dir.resolve("engine.db")).withClock(clock));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
