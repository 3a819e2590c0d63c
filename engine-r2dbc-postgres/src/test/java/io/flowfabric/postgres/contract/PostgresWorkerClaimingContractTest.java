package io.flowfabric.postgres.contract;

import io.flowfabric.api.Engine;
import io.flowfabric.postgres.PostgresEngine;
import io.flowfabric.postgres.PostgresTestDatabase;
import io.flowfabric.runtime.WorkerClaimingContractTest;

/** Runs the worker claiming contract against a fresh PostgreSQL database. */
class PostgresWorkerClaimingContractTest extends WorkerClaimingContractTest {
    @Override
    protected Engine openEngine() {
        return PostgresEngine.connect(PostgresTestDatabase.instance().freshDatabase()).block();
    }
}
