package io.flowfabric.postgres.contract;

import io.flowfabric.api.Engine;
import io.flowfabric.postgres.PostgresEngine;
import io.flowfabric.postgres.PostgresTestDatabase;
import io.flowfabric.runtime.WorkerRuntimeContractTest;

/** Runs the worker runtime contract against a fresh PostgreSQL database. */
class PostgresWorkerRuntimeContractTest extends WorkerRuntimeContractTest {
    @Override
    protected Engine openEngine() {
        return PostgresEngine.connect(PostgresTestDatabase.instance().freshDatabase()).block();
    }
}
