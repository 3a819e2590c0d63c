package io.flowfabric.postgres.contract;

import io.flowfabric.api.ClaimHintsContractTest;
import io.flowfabric.api.Engine;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.postgres.PostgresEngine;
import io.flowfabric.postgres.PostgresTestDatabase;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the claim-hint contract against a fresh PostgreSQL database. */
class PostgresClaimHintsContractTest extends ClaimHintsContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return PostgresEngine.connect(PostgresTestDatabase.instance().freshDatabase().withClock(clock)
                .withReconcilers(reconcilers));
    }
}
