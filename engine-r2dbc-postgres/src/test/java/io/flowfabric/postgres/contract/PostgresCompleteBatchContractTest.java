package io.flowfabric.postgres.contract;

import io.flowfabric.api.CompleteBatchContractTest;
import io.flowfabric.api.Engine;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.postgres.PostgresEngine;
import io.flowfabric.postgres.PostgresTestDatabase;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the completeBatch contract against a fresh PostgreSQL database. */
class PostgresCompleteBatchContractTest extends CompleteBatchContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return PostgresEngine.connect(PostgresTestDatabase.instance().freshDatabase().withClock(clock)
                .withReconcilers(reconcilers));
    }
}
