package io.flowfabric.api.signal;

import io.flowfabric.api.error.ConflictException;

/** The execution has ended; it takes no more signals. */
public final class TargetNotSignalableException extends ConflictException {
    public TargetNotSignalableException(String executionId) {
        super("execution " + executionId + " has ended and takes no signals");
    }
}
