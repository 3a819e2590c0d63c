package io.flowfabric.sqlite.contract;

import io.flowfabric.api.CreateContractTest;
import io.flowfabric.api.Engine;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the create contract against SQLite files. */
class SqliteCreateContractTest extends CreateContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return SqliteContractEngines.open(clock, reconcilers);
    }
}
