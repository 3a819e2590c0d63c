package io.flowfabric.internal;

import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.api.state.StateVector;
import io.flowfabric.api.state.Transition;
import java.util.Locale;

/**
 * What the core decides for every execution a claim takes, handed to a backend that applies it itself
 * ({@link Store#claimGranted}). The backend applies exactly the rules of the core's own claim path:
 *
 * <ul>
 *   <li>state columns set to {@link #target()} (the target of both claim transitions, which are equal);
 *   <li>a new lease: a random {@code lease_id}, {@code lease_epoch + 1}, {@code lease_ttl_ms = leaseTtlMs},
 *       {@code lease_expires_at_ms = nowMs + leaseTtlMs}, the worker ids, {@code blocking_detail = NULL},
 *       {@code updated_at_ms = nowMs}, {@code started_at_ms} set to {@code nowMs} when still null;
 *   <li>a row whose attempt state is {@link #resumableState()} and that has a current attempt re-leases that
 *       attempt (its lifecycle becomes {@link #attemptLifecycle()}, its lease columns the new lease's);
 *   <li>any other row starts attempt {@code total_attempt_count} with a random id and the type given by
 *       {@link #attemptTypeFor(AttemptState)}, clears the progress columns and arms
 *       {@code attempt_deadline_at_ms = nowMs + attempt_timeout_ms} of its policy (null without one);
 *   <li>one lease event {@link #eventType()} per row, as {@link Events#lease} writes it.
 * </ul>
 *
 * @param nowMs the claim time, epoch milliseconds
 * @param leaseTtlMs the lease duration, milliseconds
 */
public record ClaimGrant(long nowMs, long leaseTtlMs, String workerId, String workerInstanceId) {

    /** The state every claimed row takes. */
    public StateVector target() {
        return Transition.CLAIM_NEW_ATTEMPT.target();
    }

    /** The attempt state of a row whose current attempt is re-leased instead of replaced. */
    public AttemptState resumableState() {
        return AttemptState.ATTEMPT_INTERRUPTED;
    }

    /** The lifecycle of the attempt a claim starts or re-leases. */
    public AttemptLifecycle attemptLifecycle() {
        return AttemptLifecycle.STARTED;
    }

    /** The type of the attempt a claim starts, from the row's attempt state before the claim. */
    public static AttemptType attemptTypeFor(AttemptState state) {
        return switch (state) {
            case PENDING_RETRY_ATTEMPT -> AttemptType.RETRY;
            case PENDING_REPLAY_ATTEMPT -> AttemptType.REPLAY;
            default -> AttemptType.INITIAL;
        };
    }

    /** The {@code event_type} of the lease event written per claimed row. */
    public String eventType() {
        return LeaseEvent.Type.ACQUIRED.name().toLowerCase(Locale.ROOT);
    }
}
