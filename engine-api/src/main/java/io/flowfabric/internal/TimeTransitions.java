package io.flowfabric.internal;

import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.EligibilityState;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.Transition;
import reactor.core.publisher.Mono;

/**
 * The row actions of the time-based reconcilers. Each runs on a row locked in its own transaction,
 * re-checks the condition the scan found (another engine may have acted first, or the worker may have
 * renewed), and emits whether it changed the row.
 */
final class TimeTransitions {
    private TimeTransitions() {
    }

    /** A row action: emits {@code true} when it changed the row. */
    interface RowAction {
        Mono<Boolean> apply(StoreTx tx, ExecutionRow row, long nowMs);
    }

    /** An active lease past its expiry: reclaimable, lease history {@code expired}. */
    static Mono<Boolean> expireLease(StoreTx tx, ExecutionRow row, long nowMs) {
        if (row.lifecyclePhase != LifecyclePhase.ACTIVE || row.ownershipState != OwnershipState.LEASED
                || row.leaseExpiresAtMs == null || row.leaseExpiresAtMs > nowMs) {
            return Mono.just(false);
        }
        row.setState(Transition.LEASE_EXPIRE.apply(row.lifecyclePhase));
        row.updatedAtMs = nowMs;
        return tx.updateExecution(row)
                .then(tx.appendEvent(Events.lease(row, LeaseEvent.Type.EXPIRED, nowMs)))
                .thenReturn(true);
    }

    /** A due delay or retry: eligible now, keeping the attempt state. */
    static Mono<Boolean> promote(StoreTx tx, ExecutionRow row, long nowMs) {
        if (row.lifecyclePhase != LifecyclePhase.RUNNABLE
                || row.eligibilityState != EligibilityState.NOT_ELIGIBLE_UNTIL_TIME || row.eligibleAtMs > nowMs) {
            return Mono.just(false);
        }
        Transition transition = switch (row.attemptState) {
            case PENDING_FIRST_ATTEMPT -> Transition.PROMOTE_FIRST_ATTEMPT;
            case PENDING_RETRY_ATTEMPT -> Transition.PROMOTE_RETRY_ATTEMPT;
            case ATTEMPT_INTERRUPTED -> Transition.PROMOTE_INTERRUPTED_ATTEMPT;
            default -> null;
        };
        if (transition == null) {
            return Mono.just(false);
        }
        row.setState(transition.apply(row.lifecyclePhase));
        row.updatedAtMs = nowMs;
        return tx.updateExecution(row).thenReturn(true);
    }

    /** An attempt past its timeout: the execution ends {@code expired}. */
    static Mono<Boolean> timeOutAttempt(StoreTx tx, ExecutionRow row, long nowMs) {
        if (row.lifecyclePhase != LifecyclePhase.ACTIVE || row.attemptDeadlineAtMs == null
                || row.attemptDeadlineAtMs > nowMs) {
            return Mono.just(false);
        }
        return expire(tx, row, Transition.ATTEMPT_TIMEOUT, "AttemptTimeout", "the attempt ran past its timeout",
                nowMs);
    }

    /** An execution past its deadline: ends {@code expired} from any non-terminal phase. */
    static Mono<Boolean> expireAtDeadline(StoreTx tx, ExecutionRow row, long nowMs) {
        if (row.lifecyclePhase == LifecyclePhase.TERMINAL || row.deadlineAtMs == null || row.deadlineAtMs > nowMs) {
            return Mono.just(false);
        }
        return expire(tx, row, Transition.DEADLINE_EXPIRE, "ExecutionDeadline", "the execution passed its deadline",
                nowMs);
    }

    private static Mono<Boolean> expire(StoreTx tx, ExecutionRow row, Transition transition, String errorType,
            String message, long nowMs) {
        boolean leased = row.lifecyclePhase == LifecyclePhase.ACTIVE && row.ownershipState == OwnershipState.LEASED;
        boolean attemptOpen = row.lifecyclePhase == LifecyclePhase.ACTIVE
                || row.attemptState == AttemptState.ATTEMPT_INTERRUPTED;
        Mono<Void> endAttempt = attemptOpen
                ? Attempts.end(tx, row, AttemptLifecycle.ENDED_EXPIRED, nowMs, errorType, message)
                : Mono.empty();
        Mono<Void> closeSuspension = SuspensionTimeouts.closeOpen(tx, row, "expired", nowMs);
        LeaseOps.finish(row, transition, nowMs);
        row.lastErrorType = errorType;
        row.lastErrorMessage = message;
        Mono<Void> revoked = leased ? tx.appendEvent(Events.lease(row, LeaseEvent.Type.REVOKED, nowMs)) : Mono.empty();
        return closeSuspension
                .then(endAttempt)
                .then(tx.updateExecution(row))
                .then(revoked)
                .then(tx.appendEvent(Events.completion(row, nowMs)))
                .thenReturn(true);
    }
}
