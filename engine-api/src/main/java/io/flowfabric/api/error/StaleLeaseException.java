package io.flowfabric.api.error;

/** The fence does not match the execution's current lease (a newer lease epoch was issued). */
public final class StaleLeaseException extends LeaseException {
    public StaleLeaseException(String executionId, String detail) {
        super("stale lease on execution " + executionId + ": " + detail);
    }
}
