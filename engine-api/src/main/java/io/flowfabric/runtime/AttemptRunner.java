package io.flowfabric.runtime;

import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.FailExecution;
import io.flowfabric.api.Payload;
import io.flowfabric.api.error.EngineException;
import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.api.signal.ReceivedSignal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Runs one claimed execution: invokes its handler under the lease keeper and the handler timeout, then
 * reports the outcome. The returned {@code Mono} never errors; a failed report is retried with backoff and
 * then logged, leaving the lease to lapse so the execution is reclaimed.
 */
final class AttemptRunner {
    private static final Logger log = LoggerFactory.getLogger(AttemptRunner.class);
    private static final Duration MAX_REPORT_BACKOFF = Duration.ofSeconds(2);
    private static final int MAX_IMMEDIATE_RESUMES = 10;
    /**
     * Completion batches one worker keeps in flight; completions that finish meanwhile queue and leave
     * together when it returns. One batch at a time makes the batches about twice as large as with two
     * (S1: 8 -> 16 completions per batch, worker transactions per execution 0.19 -> 0.13), which measured
     * faster on both backends: SQLite has one writer anyway, and on PostgreSQL fewer, larger statements
     * cost less than overlapping ones. The cost: a batch whose statement stalls holds the completions
     * queued behind it until it returns or times out (their leases keep being renewed meanwhile).
     */
    private static final int COMPLETION_BATCHES_IN_FLIGHT = 1;

    private final Engine engine;
    private final WorkerOptions options;
    private final StatsCounters counters;
    private final LeaseKeeper keeper;
    private final CompletionBatcher completions;

    AttemptRunner(Engine engine, WorkerOptions options, StatsCounters counters) {
        this.engine = engine;
        this.options = options;
        this.counters = counters;
        this.keeper = new LeaseKeeper(engine.leases(), options);
        this.completions = new CompletionBatcher(engine.leases(), COMPLETION_BATCHES_IN_FLIGHT);
    }

    /** The renewals of a claimed execution's lease, started at its claim, and the loss they report. */
    record KeptLease(Disposable renewals, Mono<Outcome> lost) {
    }

    /** Starts renewing the lease of a claimed execution: from its claim until its outcome is reported. */
    KeptLease keep(ClaimedExecution claimed) {
        Sinks.One<Outcome> lost = Sinks.one();
        return new KeptLease(keeper.keep(claimed, lost::tryEmitValue), lost.asMono());
    }

    /**
     * Runs the attempt under {@code lease} (from {@link #keep}, stopped when the attempt ends).
     * {@code interrupt} ends it early with the outcome it emits (forced shutdown); the handler is cancelled
     * then. {@code handlerEnded} runs once, when the handler has ended (or was never started) and before
     * its outcome is reported; the lease is renewed until the report is done.
     */
    Mono<Void> run(ClaimedExecution claimed, KeptLease lease, Mono<Outcome> interrupt, Runnable handlerEnded) {
        AtomicBoolean ended = new AtomicBoolean();
        Runnable endOnce = () -> {
            if (ended.compareAndSet(false, true)) {
                handlerEnded.run();
            }
        };
        ExecutionHandler handler = options.handlers().get(claimed.kind());
        Mono<Outcome> outcome = handler == null
                ? Mono.just(new Outcome.Failed(WorkerRuntime.UNKNOWN_EXECUTION_KIND,
                        "no handler is registered for execution kind '" + claimed.kind() + "'"))
                : Mono.firstWithSignal(invoke(handler, claimed), interrupt, lease.lost());
        return outcome.doOnNext(o -> endOnce.run())
                .flatMap(o -> report(claimed, o))
                .doFinally(signal -> {
                    lease.renewals().dispose();
                    endOnce.run();
                });
    }

    private Mono<Outcome> invoke(ExecutionHandler handler, ClaimedExecution claimed) {
        Mono<List<ReceivedSignal>> signals = claimed.resumedAttempt()
                ? engine.signals().resumeSignals(claimed.executionId()).onErrorReturn(List.of())
                : Mono.just(List.of());
        Mono<Outcome> timedOut = Mono.fromSupplier(() -> new Outcome.Failed(WorkerRuntime.HANDLER_TIMEOUT,
                "handler did not finish within " + options.handlerTimeout()));
        return signals.flatMap(received -> invokeWith(handler, claimed, received, MAX_IMMEDIATE_RESUMES))
                .timeout(options.handlerTimeout(), timedOut, options.scheduler());
    }

    /**
     * Invokes the handler; when it suspends with a condition buffered signals already satisfy, invokes it
     * again with those signals (a bounded number of times, so a handler that always suspends cannot loop).
     */
    private Mono<Outcome> invokeWith(ExecutionHandler handler, ClaimedExecution claimed, List<ReceivedSignal> signals,
            int resumesLeft) {
        HandlerContext context = new ClaimContext(claimed, engine, signals);
        return Mono.defer(() -> handler.handle(context))
                .subscribeOn(options.scheduler())
                .<Outcome>map(Outcome.Succeeded::new)
                .defaultIfEmpty(new Outcome.Succeeded(Payload.EMPTY))
                .onErrorResume(error -> {
                    if (!(error instanceof HandlerSuspended suspended)) {
                        return Mono.just(Outcome.Failed.of(error));
                    }
                    if (suspended.satisfiedBy() == null) {
                        return Mono.just(new Outcome.Suspended());
                    }
                    return resumesLeft > 0
                            ? invokeWith(handler, claimed, suspended.satisfiedBy(), resumesLeft - 1)
                            : Mono.just(new Outcome.Failed("SuspendLoop",
                                    "the handler kept suspending on conditions that were already satisfied"));
                });
    }

    private Mono<Void> report(ClaimedExecution claimed, Outcome outcome) {
        ExecutionId id = claimed.executionId();
        if (outcome instanceof Outcome.Succeeded succeeded) {
            return call(id, "complete", () -> completions.complete(CompleteExecution.of(claimed, succeeded.result())))
                    .doOnNext(done -> counters.completed())
                    .then();
        }
        if (outcome instanceof Outcome.Failed failed) {
            return call(id, "fail", () -> engine.leases().fail(
                    FailExecution.of(claimed, failed.errorType(), failed.message())))
                    .doOnNext(done -> counters.failed())
                    .then();
        }
        if (outcome instanceof Outcome.Suspended) {
            log.debug("{} suspended; its handler runs again when it resumes", id);
            return Mono.empty();
        }
        Throwable cause = ((Outcome.LeaseLost) outcome).cause();
        log.warn("lease of {} was lost while its handler ran; the handler was cancelled: {}", id, cause.toString());
        counters.leaseLost();
        return Mono.empty();
    }

    private <T> Mono<T> call(ExecutionId id, String what, Supplier<Mono<T>> operation) {
        return Mono.defer(operation)
                .timeout(options.callTimeout(), options.scheduler())
                .retryWhen(Retry.backoff(options.reportRetries(), options.reportBackoff())
                        .maxBackoff(MAX_REPORT_BACKOFF)
                        .filter(AttemptRunner::isRetryable)
                        .scheduler(options.scheduler()))
                .onErrorResume(error -> {
                    Throwable cause = Exceptions.isRetryExhausted(error) ? error.getCause() : error;
                    if (LeaseKeeper.endsLease(cause)) {
                        log.warn("could not {} {}: the lease is no longer held: {}", what, id, cause.toString());
                        counters.leaseLost();
                    } else {
                        log.error("could not {} {}; its lease will lapse and it will be reclaimed", what, id, cause);
                        counters.reportError();
                    }
                    return Mono.empty();
                });
    }

    /** Engine errors say whether they are worth repeating; an unknown (driver, timeout) error is. */
    private static boolean isRetryable(Throwable error) {
        if (error instanceof EngineException engineError) {
            return engineError.isRetryable() || engineError instanceof UnavailableException;
        }
        return true;
    }
}
