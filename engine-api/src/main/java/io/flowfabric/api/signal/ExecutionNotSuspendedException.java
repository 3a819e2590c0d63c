package io.flowfabric.api.signal;

import io.flowfabric.api.error.ConflictException;

/** The operation needs a suspended execution. */
public final class ExecutionNotSuspendedException extends ConflictException {
    public ExecutionNotSuspendedException(String executionId) {
        super("execution " + executionId + " is not suspended");
    }
}
