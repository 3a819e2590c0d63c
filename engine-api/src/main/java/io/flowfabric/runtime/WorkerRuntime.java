package io.flowfabric.runtime;

import io.flowfabric.api.Engine;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.WorkerInstanceId;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs handlers for executions claimed from one lane: the SDK a service embeds to do work.
 *
 * <pre>{@code
 * WorkerRuntime worker = WorkerRuntime.builder(engine)
 *     .lane("default")
 *     .concurrency(16)
 *     .handler("index-file", ctx -> indexFile(ctx.payload()))
 *     .build();
 * Disposable running = worker.start();
 * ...
 * worker.shutdown().block();   // or running.dispose() to shut down in the background
 * }</pre>
 *
 * <p>Claiming is demand-driven: the worker claims as many executions as it has free slots, in one
 * {@code claimBatch} call, and waits the poll interval (growing while idle) when there is no work. While
 * a handler runs its lease is renewed every third of the lease ttl; when the lease is lost the handler is
 * cancelled and nothing is reported. A handler's value completes the execution; its error fails the
 * attempt with the exception's simple class name as error type ({@value #HANDLER_TIMEOUT} after the
 * handler timeout, {@value #UNKNOWN_EXECUTION_KIND} when no handler is registered for the kind), so the
 * engine retries it per the execution's policy.
 *
 * <p>{@link #shutdown()} stops claiming, waits up to the shutdown grace for running handlers, then
 * cancels the rest and fails their attempts with {@value #WORKER_SHUTDOWN}. Nothing here blocks a
 * Reactor thread.
 */
public final class WorkerRuntime {
    /** Error type of an attempt whose handler exceeded the handler timeout. */
    public static final String HANDLER_TIMEOUT = "HandlerTimeout";
    /** Error type of an attempt whose execution kind has no registered handler. */
    public static final String UNKNOWN_EXECUTION_KIND = "UnknownExecutionKind";
    /** Error type of an attempt cancelled because the worker shut down before its handler finished. */
    public static final String WORKER_SHUTDOWN = "WorkerShutdown";

    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);

    private final WorkerOptions options;
    private final StatsCounters counters = new StatsCounters();
    private final ClaimLoop loop;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Sinks.Empty<Void> terminated = Sinks.empty();

    WorkerRuntime(Engine engine, WorkerOptions options) {
        this.options = options;
        this.loop = new ClaimLoop(engine.leases(), options, new AttemptRunner(engine, options, counters), counters);
    }

    /** A builder of a worker over {@code engine}. */
    public static WorkerRuntimeBuilder builder(Engine engine) {
        return new WorkerRuntimeBuilder(engine);
    }

    /**
     * Starts claiming and running executions in the background and returns at once. Disposing the
     * result starts a graceful {@link #shutdown()} without waiting for it.
     *
     * @throws IllegalStateException when the worker was already started or shut down
     */
    public Disposable start() {
        if (stopping.get()) {
            throw new IllegalStateException("the worker has been shut down");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the worker is already running");
        }
        log.info("worker {} ({}) claiming from lane {} with concurrency {}", workerId(), workerInstanceId(),
                options.claimRequest().lane(), options.concurrency());
        loop.start();
        return new Disposable() {
            @Override
            public void dispose() {
                beginShutdown();
            }

            @Override
            public boolean isDisposed() {
                return stopping.get();
            }
        };
    }

    /**
     * Stops claiming and completes once every in-flight execution has been reported: handlers still
     * running after the shutdown grace are cancelled and their attempts failed with
     * {@value #WORKER_SHUTDOWN}. Idempotent; shutting down starts when this is subscribed (or when the
     * {@link #start()} handle is disposed) and is not undone by cancelling the subscription.
     */
    public Mono<Void> shutdown() {
        return Mono.defer(() -> {
            beginShutdown();
            return terminated.asMono();
        });
    }

    /** Counters since the worker was built. */
    public WorkerStats stats() {
        return counters.snapshot(loop.waiting());
    }

    public WorkerId workerId() {
        return options.claimRequest().workerId();
    }

    public WorkerInstanceId workerInstanceId() {
        return options.claimRequest().workerInstanceId();
    }

    private void beginShutdown() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        log.info("worker {} shutting down; waiting up to {} for {} running executions", workerInstanceId(),
                options.shutdownGrace(), counters.inFlight());
        loop.stop();
        loop.drained()
                .timeout(options.shutdownGrace(), Mono.defer(this::interruptRemaining), options.scheduler())
                .subscribe(null, terminated::tryEmitError, () -> {
                    log.info("worker {} stopped", workerInstanceId());
                    terminated.tryEmitEmpty();
                });
    }

    private Mono<Void> interruptRemaining() {
        log.warn("worker {}: {} executions still running after the shutdown grace{}; cancelling them",
                workerInstanceId(), counters.inFlight(), loop.claiming() ? " and a claim still in progress" : "");
        loop.interruptAll(new Outcome.Failed(WORKER_SHUTDOWN,
                "the worker shut down before the handler finished (grace " + options.shutdownGrace() + ")"));
        return loop.drained();
    }
}
