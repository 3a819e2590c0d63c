package io.flowfabric.api;

import java.time.Duration;

/**
 * Request to extend a lease by {@code ttl} from now (the ttl of the claim when {@code null}).
 * The lease epoch does not change.
 */
public record RenewLease(ExecutionId executionId, LeaseFence fence, Duration ttl) {
    public RenewLease {
        Validate.required(executionId, "execution id");
        Validate.required(fence, "lease fence");
        if (ttl != null) {
            Validate.duration(ttl, "lease ttl", ClaimRequest.MIN_LEASE_TTL, ClaimRequest.MAX_LEASE_TTL);
        }
    }

    public static RenewLease of(ClaimedExecution claimed) {
        return new RenewLease(claimed.executionId(), claimed.fence(), null);
    }
}
