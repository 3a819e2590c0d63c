package io.flowfabric.runtime;

import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.Engine;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Namespace;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.WorkerInstanceId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Configures a {@link WorkerRuntime}. A lane and at least one handler are required; everything else has
 * a default. Invalid values fail with {@link IllegalArgumentException} when set, or with the engine's
 * {@code ValidationException} in {@link #build()} (lane, identities, capabilities, lease ttl).
 */
public final class WorkerRuntimeBuilder {
    public static final int DEFAULT_CONCURRENCY = 16;
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final Duration MIN_MAX_POLL_INTERVAL = Duration.ofSeconds(1);
    private static final int MAX_CONCURRENCY = 1000;

    private final Engine engine;
    private final Map<String, ExecutionHandler> handlers = new LinkedHashMap<>();
    private LaneId lane;
    private Namespace namespace = Namespace.DEFAULT;
    private WorkerId workerId = WorkerId.of("flowfabric-worker");
    private WorkerInstanceId workerInstanceId;
    private Set<String> capabilities = Set.of();
    private int concurrency = DEFAULT_CONCURRENCY;
    private Integer prefetch;
    private Duration leaseTtl = ClaimRequest.DEFAULT_LEASE_TTL;
    private Duration handlerTimeout = DEFAULT_HANDLER_TIMEOUT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration maxPollInterval;
    private boolean reclaimExpired = true;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private Scheduler scheduler = Schedulers.parallel();

    WorkerRuntimeBuilder(Engine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** The lane to claim from (required). */
    public WorkerRuntimeBuilder lane(LaneId value) {
        this.lane = Objects.requireNonNull(value, "lane");
        return this;
    }

    public WorkerRuntimeBuilder lane(String value) {
        return lane(LaneId.of(value));
    }

    /** The namespace to claim from; default {@link Namespace#DEFAULT}. */
    public WorkerRuntimeBuilder namespace(Namespace value) {
        this.namespace = Objects.requireNonNull(value, "namespace");
        return this;
    }

    /** The logical worker identity, stable across restarts; default {@code flowfabric-worker}. */
    public WorkerRuntimeBuilder workerId(WorkerId value) {
        this.workerId = Objects.requireNonNull(value, "worker id");
        return this;
    }

    /** This process's identity; default a random UUID per runtime. */
    public WorkerRuntimeBuilder workerInstanceId(WorkerInstanceId value) {
        this.workerInstanceId = Objects.requireNonNull(value, "worker instance id");
        return this;
    }

    /** Capability tokens offered; only executions requiring a subset are claimed. Default none. */
    public WorkerRuntimeBuilder capabilities(Set<String> value) {
        this.capabilities = Set.copyOf(value);
        return this;
    }

    /**
     * The most handlers run at once, 1 to 1000; default {@value #DEFAULT_CONCURRENCY}. A handler's slot
     * frees when its {@code Mono} emits its outcome (or errors), before the outcome is reported, so the
     * next execution may start while callbacks that run after termination ({@code doFinally}) still run.
     */
    public WorkerRuntimeBuilder concurrency(int value) {
        if (value < 1 || value > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency must be in [1, " + MAX_CONCURRENCY + "]: " + value);
        }
        this.concurrency = value;
        return this;
    }

    /**
     * The most executions claimed ahead of a free slot, 0 to 1000; default the concurrency. They wait in this
     * worker, their leases renewed, and the next one starts the moment a handler ends instead of after a
     * claim round trip, and claims come in larger batches. Other workers cannot take them meanwhile, so
     * workers whose handlers run long (seconds or more) and that share a lane should use 0.
     */
    public WorkerRuntimeBuilder prefetch(int value) {
        if (value < 0 || value > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("prefetch must be in [0, " + MAX_CONCURRENCY + "]: " + value);
        }
        this.prefetch = value;
        return this;
    }

    /** The lease ttl of every claim, renewed every third of it; default 30 s. */
    public WorkerRuntimeBuilder leaseTtl(Duration value) {
        this.leaseTtl = positive(value, "lease ttl");
        return this;
    }

    /** The longest one handler invocation may run before its attempt fails {@code HandlerTimeout}; default 5 min. */
    public WorkerRuntimeBuilder handlerTimeout(Duration value) {
        this.handlerTimeout = positive(value, "handler timeout");
        return this;
    }

    /** The wait before claiming again after a claim found no work; default 200 ms. */
    public WorkerRuntimeBuilder pollInterval(Duration value) {
        this.pollInterval = positive(value, "poll interval");
        return this;
    }

    /** The cap the idle wait doubles up to; default the larger of the poll interval and 1 s. */
    public WorkerRuntimeBuilder maxPollInterval(Duration value) {
        this.maxPollInterval = positive(value, "max poll interval");
        return this;
    }

    /** How long shutdown waits for in-flight handlers before cancelling them; default 10 s. */
    public WorkerRuntimeBuilder shutdownGrace(Duration value) {
        Objects.requireNonNull(value, "shutdown grace");
        if (value.isNegative()) {
            throw new IllegalArgumentException("shutdown grace must not be negative: " + value);
        }
        this.shutdownGrace = value;
        return this;
    }

    /**
     * Whether slots left free after a claim also reclaim executions of the lane whose lease expired (their
     * worker crashed or stalled) or was revoked; default on.
     */
    public WorkerRuntimeBuilder reclaimExpired(boolean value) {
        this.reclaimExpired = value;
        return this;
    }

    /** Runs handlers, renewals and timers; default {@link Schedulers#parallel()}. */
    public WorkerRuntimeBuilder scheduler(Scheduler value) {
        this.scheduler = Objects.requireNonNull(value, "scheduler");
        return this;
    }

    /** Registers the handler of one execution kind; a kind may be registered once. */
    public WorkerRuntimeBuilder handler(String kind, ExecutionHandler handler) {
        if (kind == null || kind.isBlank() || kind.length() > 128) {
            throw new IllegalArgumentException("execution kind must be 1-128 characters: " + kind);
        }
        Objects.requireNonNull(handler, "handler");
        if (handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalArgumentException("a handler for kind '" + kind + "' is already registered");
        }
        return this;
    }

    public WorkerRuntime build() {
        if (lane == null) {
            throw new IllegalStateException("a lane is required");
        }
        if (handlers.isEmpty()) {
            throw new IllegalStateException("at least one handler is required");
        }
        WorkerInstanceId instance = workerInstanceId != null ? workerInstanceId
                : WorkerInstanceId.of(UUID.randomUUID().toString());
        ClaimRequest claim = ClaimRequest.of(lane, workerId, instance)
                .withNamespace(namespace)
                .withCapabilities(capabilities)
                .withLeaseTtl(leaseTtl);
        Duration maxPoll = maxPollInterval != null ? maxPollInterval : max(pollInterval, MIN_MAX_POLL_INTERVAL);
        WorkerOptions options = new WorkerOptions(claim, concurrency, prefetch != null ? prefetch : concurrency,
                handlerTimeout, pollInterval,
                max(pollInterval, maxPoll), shutdownGrace, scheduler, handlers, 3, Duration.ofMillis(100),
                Duration.ofSeconds(10), reclaimExpired);
        return new WorkerRuntime(engine, options);
    }

    private static Duration positive(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        return value;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
