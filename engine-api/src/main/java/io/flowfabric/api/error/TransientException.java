package io.flowfabric.api.error;

/** A temporary failure (serialization conflict, deadlock, lost connection); retrying may succeed. */
public final class TransientException extends EngineException {
    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
