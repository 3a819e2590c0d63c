package io.flowfabric.api.error;

/** A temporary conflict inside the database (serialization failure, deadlock, busy lock); retrying the same call may succeed. */
public final class TransientException extends EngineException {
    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
