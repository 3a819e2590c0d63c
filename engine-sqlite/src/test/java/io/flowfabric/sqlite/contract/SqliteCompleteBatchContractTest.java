package io.flowfabric.sqlite.contract;

import io.flowfabric.api.CompleteBatchContractTest;
import io.flowfabric.api.Engine;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the completeBatch contract against SQLite files. */
class SqliteCompleteBatchContractTest extends CompleteBatchContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return SqliteContractEngines.open(clock, reconcilers);
    }
}
