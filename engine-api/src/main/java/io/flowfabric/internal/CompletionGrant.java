package io.flowfabric.internal;

import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.StateVector;
import io.flowfabric.api.state.Transition;
import java.util.List;
import java.util.Locale;

/**
 * What the core decides for a successful completion, handed to a backend that applies it itself
 * ({@link Store#completeGranted}). The backend completes a request only when its fence holds the live
 * lease as {@link FenceCheck} judges it: lease id, epoch and attempt id equal the row's, the phase is
 * {@link #activePhase()}, the ownership is none of {@link #lapsedOwnership()} and the lease expires after
 * {@code nowMs}. For those rows it applies what the core's own completion writes:
 *
 * <ul>
 *   <li>state columns set to {@link #target()}, {@code terminal_at_ms} and {@code updated_at_ms} to
 *       {@code nowMs}, {@code lease_expires_at_ms} and {@code attempt_deadline_at_ms} cleared, the result
 *       stored (the lease id, epoch and attempt id stay, so a repeated call is recognised);
 *   <li>the current attempt ended with {@link #attemptLifecycle()} at {@code nowMs}, without error;
 *   <li>a lease event {@link #leaseEventType()} as {@link Events#lease} writes it, and a completion event
 *       typed by the terminal outcome with empty details, as {@link Events#completion} writes it.
 * </ul>
 *
 * Every other request is left untouched for the core to judge.
 *
 * @param nowMs the completion time, epoch milliseconds
 */
public record CompletionGrant(long nowMs) {

    public StateVector target() {
        return Transition.COMPLETE.target();
    }

    public LifecyclePhase activePhase() {
        return LifecyclePhase.ACTIVE;
    }

    /** Ownership states in which the fence no longer holds a live lease. */
    public List<OwnershipState> lapsedOwnership() {
        return List.of(OwnershipState.LEASE_REVOKED, OwnershipState.LEASE_EXPIRED_RECLAIMABLE);
    }

    public AttemptLifecycle attemptLifecycle() {
        return AttemptLifecycle.ENDED_SUCCESS;
    }

    public String leaseEventType() {
        return LeaseEvent.Type.RELEASED.name().toLowerCase(Locale.ROOT);
    }
}
