package io.flowfabric.sqlite.contract;

import io.flowfabric.api.Engine;
import io.flowfabric.runtime.WorkerClaimingContractTest;
import java.time.Clock;

/** Runs the worker claiming contract against SQLite files. */
class SqliteWorkerClaimingContractTest extends WorkerClaimingContractTest {
    @Override
    protected Engine openEngine() {
        return SqliteContractEngines.open(Clock.systemUTC()).block();
    }
}
