package io.flowfabric.internal;

import io.flowfabric.api.LeaseFence;
import io.flowfabric.api.error.LeaseExpiredException;
import io.flowfabric.api.error.LeaseRevokedException;
import io.flowfabric.api.error.StaleLeaseException;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;

/**
 * Checks a caller's fence against the locked execution row. The row keeps its last lease id, epoch and
 * attempt id after the lease is released, so a call repeated after a lost response is told apart from a
 * call by a holder whose lease was superseded.
 */
final class FenceCheck {
    private FenceCheck() {
    }

    /** What the fence grants. */
    enum Verdict {
        /** The caller holds the current, live lease. */
        HOLDS_LEASE,
        /** The fence names the last lease, which has since been released by a finishing call. */
        RELEASED
    }

    /**
     * @throws StaleLeaseException when the fence is not the execution's last lease
     * @throws LeaseExpiredException when the lease has lapsed (by time or by the lease-expiry reconciler)
     * @throws LeaseRevokedException when an operator revoked the lease
     */
    static Verdict check(ExecutionRow row, LeaseFence fence, long nowMs) {
        String id = row.id().toString();
        if (row.leaseId == null || !row.leaseId.equals(fence.leaseId().value())) {
            throw new StaleLeaseException(id, "lease id does not match the current lease");
        }
        if (row.leaseEpoch != fence.leaseEpoch()) {
            throw new StaleLeaseException(id, "lease epoch " + fence.leaseEpoch() + " is not the current epoch "
                    + row.leaseEpoch);
        }
        if (row.currentAttemptId == null || !row.currentAttemptId.equals(fence.attemptId().value())) {
            throw new StaleLeaseException(id, "attempt id does not match the current attempt");
        }
        if (row.lifecyclePhase != LifecyclePhase.ACTIVE) {
            return Verdict.RELEASED;
        }
        if (row.ownershipState == OwnershipState.LEASE_REVOKED) {
            throw new LeaseRevokedException(id);
        }
        if (row.ownershipState == OwnershipState.LEASE_EXPIRED_RECLAIMABLE
                || row.leaseExpiresAtMs == null || row.leaseExpiresAtMs <= nowMs) {
            throw new LeaseExpiredException(id);
        }
        return Verdict.HOLDS_LEASE;
    }
}
