package io.flowfabric.internal;

import io.flowfabric.api.signal.TimeoutBehavior;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.Transition;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Row actions of the suspension-timeout and pending-waitpoint-expiry reconcilers. Each re-checks its
 * condition on the locked execution.
 */
final class SuspensionTimeouts {
    /** Name and source of the signal an auto-resuming timeout records, so the worker can see why it resumed. */
    static final String TIMEOUT_SIGNAL = "timeout";

    private SuspensionTimeouts() {
    }

    /** Applies the open suspension's timeout behaviour when its timeout has passed. */
    static Mono<Boolean> timeOut(StoreTx tx, ExecutionRow row, long nowMs) {
        if (row.lifecyclePhase != LifecyclePhase.SUSPENDED) {
            return Mono.just(false);
        }
        return tx.findOpenSuspension(row.id())
                .filter(s -> s.timeoutAtMs != null && s.timeoutAtMs <= nowMs)
                .flatMap(s -> tx.findWaitpoints(row.id()).collectList().flatMap(waitpoints -> apply(tx, row, s,
                        waitpoints, nowMs)))
                .defaultIfEmpty(false);
    }

    private static Mono<Boolean> apply(StoreTx tx, ExecutionRow row, SuspensionRow s, List<WaitpointRow> waitpoints,
            long nowMs) {
        TimeoutBehavior behavior = TimeoutBehavior.valueOf(s.timeoutBehavior.toUpperCase(Locale.ROOT));
        return switch (behavior) {
            case ESCALATE -> {
                s.timeoutAtMs = null;
                s.reasonCode = "waiting_for_operator_review";
                row.setState(Transition.SUSPENSION_ESCALATE.apply(row.lifecyclePhase));
                row.blockingDetail = "suspension timed out; waiting for operator review";
                row.updatedAtMs = nowMs;
                yield tx.updateSuspension(s).then(tx.updateExecution(row)).thenReturn(true);
            }
            case AUTO_RESUME -> timeoutSignal(tx, row, s, waitpoints, nowMs)
                    .then(SignalDeliveryOp.resume(tx, row, s, waitpoints, "timeout", nowMs)).thenReturn(true);
            case FAIL -> end(tx, row, s, waitpoints, Transition.SUSPENSION_TIMEOUT_FAIL, nowMs);
            case CANCEL -> end(tx, row, s, waitpoints, Transition.SUSPENSION_TIMEOUT_CANCEL, nowMs);
            case EXPIRE -> end(tx, row, s, waitpoints, Transition.SUSPENSION_TIMEOUT_EXPIRE, nowMs);
        };
    }

    private static Mono<Boolean> end(StoreTx tx, ExecutionRow row, SuspensionRow s, List<WaitpointRow> waitpoints,
            Transition transition, long nowMs) {
        Mono<Void> attempt = Attempts.end(tx, row, endOf(transition), nowMs, "SuspensionTimeout",
                "the suspension timed out");
        LeaseOps.finish(row, transition, nowMs);
        row.lastErrorType = "SuspensionTimeout";
        row.lastErrorMessage = "the suspension timed out";
        if (transition == Transition.SUSPENSION_TIMEOUT_CANCEL) {
            row.cancellationReason = "suspension timed out";
        }
        return close(tx, s, waitpoints, "timeout", nowMs)
                .then(attempt)
                .then(tx.updateExecution(row))
                .then(tx.appendEvent(Events.completion(row, nowMs)))
                .thenReturn(true);
    }

    private static AttemptLifecycle endOf(Transition transition) {
        return switch (transition) {
            case SUSPENSION_TIMEOUT_CANCEL -> AttemptLifecycle.ENDED_CANCELLED;
            case SUSPENSION_TIMEOUT_EXPIRE -> AttemptLifecycle.ENDED_EXPIRED;
            default -> AttemptLifecycle.ENDED_FAILURE;
        };
    }

    /** Closes the execution's open suspension and its waitpoints, if it has one (cancel, deadline). */
    static Mono<Void> closeOpen(StoreTx tx, ExecutionRow row, String reason, long nowMs) {
        if (row.lifecyclePhase != LifecyclePhase.SUSPENDED) {
            return Mono.empty();
        }
        return tx.findOpenSuspension(row.id())
                .flatMap(s -> tx.findWaitpoints(row.id()).collectList().flatMap(w -> close(tx, s, w, reason, nowMs)));
    }

    /** Closes the suspension and its still-open waitpoints with {@code reason}. */
    static Mono<Void> close(StoreTx tx, SuspensionRow s, List<WaitpointRow> waitpoints, String reason,
            long nowMs) {
        s.closedAtMs = nowMs;
        s.closeReason = reason;
        List<Mono<Void>> closes = waitpoints.stream()
                .filter(w -> s.suspensionId.equals(w.suspensionId) && !WaitpointOps.CLOSED.equals(w.state))
                .map(w -> {
                    w.state = WaitpointOps.CLOSED;
                    w.closedAtMs = nowMs;
                    w.closeReason = reason;
                    return tx.updateWaitpoint(w);
                }).toList();
        return Flux.concat(closes).then(tx.updateSuspension(s));
    }

    /** Records the synthetic timeout signal on the suspension's first waitpoint. */
    private static Mono<Void> timeoutSignal(StoreTx tx, ExecutionRow row, SuspensionRow s,
            List<WaitpointRow> waitpoints, long nowMs) {
        return Mono.justOrEmpty(waitpoints.stream().filter(w -> s.suspensionId.equals(w.suspensionId)).findFirst())
                .flatMap(w -> {
                    SignalRow signal = new SignalRow();
                    signal.partitionKey = row.partitionKey;
                    signal.executionId = row.executionId;
                    signal.signalId = UUID.randomUUID();
                    signal.waitpointId = w.waitpointId;
                    signal.waitpointKey = w.waitpointKey;
                    signal.signalName = TIMEOUT_SIGNAL;
                    signal.sourceType = "system";
                    signal.sourceIdentity = "suspension_timeout";
                    signal.payload = new byte[0];
                    signal.deliveredAtMs = nowMs;
                    signal.effect = "satisfied";
                    return tx.insertSignal(signal);
                });
    }

    /** Closes the execution's pending waitpoints whose expiry has passed. */
    static Mono<Boolean> expireWaitpoints(StoreTx tx, ExecutionRow row, long nowMs) {
        return tx.findWaitpoints(row.id())
                .collectList()
                .flatMapMany(Flux::fromIterable)
                .filter(w -> WaitpointOps.PENDING.equals(w.state) && w.expiresAtMs != null && w.expiresAtMs <= nowMs)
                .concatMap(w -> {
                    w.state = WaitpointOps.CLOSED;
                    w.closedAtMs = nowMs;
                    w.closeReason = "never_committed";
                    return tx.updateWaitpoint(w).thenReturn(true);
                })
                .collectList()
                .map(closed -> !closed.isEmpty());
    }
}
