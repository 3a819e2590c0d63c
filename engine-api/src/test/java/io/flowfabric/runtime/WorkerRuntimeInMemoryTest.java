package io.flowfabric.runtime;

import io.flowfabric.api.Engine;

/**
 * Runs the worker runtime contract on {@link InMemoryEngine}, so the runtime's own logic (slots, renewal,
 * timeouts, shutdown) is tested without a database.
 */
class WorkerRuntimeInMemoryTest extends WorkerRuntimeContractTest {

    @Override
    protected Engine openEngine() {
        return new InMemoryEngine();
    }
}
