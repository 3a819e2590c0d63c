package io.flowfabric.api;

/**
 * Operator request to take the lease away from an active execution. The execution stays active and
 * becomes reclaimable; its holder's next lease-bound call fails with
 * {@link io.flowfabric.api.error.LeaseRevokedException}.
 *
 * @param expectedLeaseId when non-null, revoke only if this is still the current lease
 */
public record RevokeLease(ExecutionId executionId, LeaseId expectedLeaseId, String reason) {
    public RevokeLease {
        Validate.required(executionId, "execution id");
        Validate.optionalText(reason, "reason", 1024);
    }

    public static RevokeLease of(ExecutionId executionId) {
        return new RevokeLease(executionId, null, null);
    }
}
