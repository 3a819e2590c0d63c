package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;

/**
 * The fencing triple every lease-bound call carries. {@code leaseEpoch} is the fencing token: it grows
 * by one with every lease issuance on the execution, so a holder of an older lease is always told apart
 * from the current one.
 */
public record LeaseFence(LeaseId leaseId, long leaseEpoch, AttemptId attemptId) {
    public LeaseFence {
        if (leaseId == null || attemptId == null) {
            throw new ValidationException(ValidationException.Kind.FENCE_REQUIRED,
                    "lease fence needs lease_id, lease_epoch and attempt_id");
        }
        if (leaseEpoch < 1) {
            throw new ValidationException(ValidationException.Kind.FENCE_REQUIRED,
                    "lease epoch must be >= 1: " + leaseEpoch);
        }
    }
}
