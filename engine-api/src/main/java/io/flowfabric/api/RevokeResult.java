package io.flowfabric.api;

/** Result of {@link Executions#revokeLease}. Revoking is idempotent: a second call reports {@code NotRevoked}. */
public sealed interface RevokeResult permits RevokeResult.Revoked, RevokeResult.NotRevoked {

    /** The lease {@code leaseId} with fencing token {@code leaseEpoch} was revoked. */
    record Revoked(LeaseId leaseId, long leaseEpoch) implements RevokeResult {
    }

    /** Nothing was revoked, and why. */
    record NotRevoked(Reason reason) implements RevokeResult {
    }

    /** Why nothing was revoked. */
    enum Reason {
        /** The execution holds no live lease (not active, or already expired or revoked). */
        NO_ACTIVE_LEASE,
        /** The current lease is not the expected one. */
        LEASE_ID_MISMATCH
    }
}
