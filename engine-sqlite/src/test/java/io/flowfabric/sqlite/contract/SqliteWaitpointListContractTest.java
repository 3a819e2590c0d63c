package io.flowfabric.sqlite.contract;

import io.flowfabric.api.Engine;
import io.flowfabric.api.WaitpointListContractTest;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the open-waitpoint listing contract against SQLite files. */
class SqliteWaitpointListContractTest extends WaitpointListContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return SqliteContractEngines.open(clock, reconcilers);
    }
}
