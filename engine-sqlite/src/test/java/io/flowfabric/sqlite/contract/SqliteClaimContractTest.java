package io.flowfabric.sqlite.contract;

import io.flowfabric.api.ClaimContractTest;
import io.flowfabric.api.Engine;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the claim contract against SQLite files. */
class SqliteClaimContractTest extends ClaimContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return SqliteContractEngines.open(clock, reconcilers);
    }
}
