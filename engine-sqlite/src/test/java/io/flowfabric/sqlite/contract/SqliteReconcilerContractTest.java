package io.flowfabric.sqlite.contract;

import io.flowfabric.api.ReconcilerContractTest;
import io.flowfabric.api.Engine;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the reconciler contract against SQLite files. */
class SqliteReconcilerContractTest extends ReconcilerContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return SqliteContractEngines.open(clock, reconcilers);
    }
}
