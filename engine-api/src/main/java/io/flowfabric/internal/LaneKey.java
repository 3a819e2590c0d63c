package io.flowfabric.internal;

import io.flowfabric.api.state.EligibilityState;
import io.flowfabric.api.state.OwnershipState;

/**
 * A claim hint: executions may have become claimable in this namespace and lane. {@link #ANY} stands for
 * every lane, sent when hints may have been missed (for example after a notification connection was
 * re-established).
 */
public record LaneKey(String namespace, String lane) {
    public static final LaneKey ANY = new LaneKey(null, null);

    /** Whether a worker of {@code namespace}/{@code lane} should act on this hint. */
    public boolean matches(String namespace, String lane) {
        return this.namespace == null || (this.namespace.equals(namespace) && this.lane.equals(lane));
    }

    /** Whether {@code row}, as written, can be claimed or reclaimed right now. */
    public static boolean claimable(ExecutionRow row) {
        return switch (row.lifecyclePhase) {
            case RUNNABLE -> row.eligibilityState == EligibilityState.ELIGIBLE_NOW;
            case ACTIVE -> row.ownershipState == OwnershipState.LEASE_EXPIRED_RECLAIMABLE
                    || row.ownershipState == OwnershipState.LEASE_REVOKED;
            default -> false;
        };
    }
}
