package io.flowfabric.api.signal;

import io.flowfabric.api.error.ConflictException;

/** The waitpoint was closed (its suspension resumed or timed out, or it expired unused). */
public final class WaitpointClosedException extends ConflictException {
    public WaitpointClosedException(String waitpointId) {
        super("waitpoint " + waitpointId + " is closed");
    }
}
