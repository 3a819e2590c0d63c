package io.flowfabric.sqlite.contract;

import io.flowfabric.api.Engine;
import io.flowfabric.runtime.WorkerRuntimeContractTest;
import java.time.Clock;

/** Runs the worker runtime contract against SQLite files. */
class SqliteWorkerRuntimeContractTest extends WorkerRuntimeContractTest {
    @Override
    protected Engine openEngine() {
        return SqliteContractEngines.open(Clock.systemUTC()).block();
    }
}
