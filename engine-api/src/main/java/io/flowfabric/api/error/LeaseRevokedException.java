package io.flowfabric.api.error;

/** The fence matches but an operator revoked the lease. */
public final class LeaseRevokedException extends LeaseException {
    public LeaseRevokedException(String executionId) {
        super("lease revoked on execution " + executionId);
    }
}
