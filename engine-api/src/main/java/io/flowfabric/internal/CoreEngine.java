package io.flowfabric.internal;

import io.flowfabric.api.Engine;
import io.flowfabric.api.Executions;
import io.flowfabric.api.Leases;
import java.time.Clock;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * The engine over any {@link Store}: it holds every decision about states, fences, retries and
 * idempotency, so the backends only persist rows.
 */
public final class CoreEngine implements Engine {
    private final Store store;
    private final Clock clock;
    private final String backend;
    private final Executions executions;
    private final Leases leases;

    private CoreEngine(Store store, Clock clock, String backend) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.executions = new ExecutionOps(store, clock);
        this.leases = new LeaseOps(store, clock);
    }

    /** An engine that persists through {@code store}, reading time from {@code clock}. */
    public static Engine create(Store store, Clock clock, String backend) {
        return new CoreEngine(store, clock, backend);
    }

    @Override
    public Executions executions() {
        return executions;
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public Mono<Void> shutdown() {
        return store.close();
    }
}
