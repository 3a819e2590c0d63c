package io.flowfabric.sqlite.contract;

import io.flowfabric.api.ClaimHintsContractTest;
import io.flowfabric.api.Engine;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the claim-hint contract against SQLite files. */
class SqliteClaimHintsContractTest extends ClaimHintsContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return SqliteContractEngines.open(clock, reconcilers);
    }
}
