package io.flowfabric.sqlite.contract;

import io.flowfabric.api.LeaseContractTest;
import io.flowfabric.api.Engine;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the lease contract against SQLite files. */
class SqliteLeaseContractTest extends LeaseContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return SqliteContractEngines.open(clock, reconcilers);
    }
}
