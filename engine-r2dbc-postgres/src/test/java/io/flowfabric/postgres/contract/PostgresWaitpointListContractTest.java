package io.flowfabric.postgres.contract;

import io.flowfabric.api.Engine;
import io.flowfabric.api.WaitpointListContractTest;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.postgres.PostgresEngine;
import io.flowfabric.postgres.PostgresTestDatabase;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** Runs the open-waitpoint listing contract against a fresh PostgreSQL database. */
class PostgresWaitpointListContractTest extends WaitpointListContractTest {
    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return PostgresEngine.connect(PostgresTestDatabase.instance().freshDatabase().withClock(clock)
                .withReconcilers(reconcilers));
    }
}
