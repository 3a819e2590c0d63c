package io.flowfabric.api.error;

/** The fence matches but the lease expired before the call arrived. */
public final class LeaseExpiredException extends LeaseException {
    public LeaseExpiredException(String executionId) {
        super("lease expired on execution " + executionId);
    }
}
