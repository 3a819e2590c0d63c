package io.flowfabric.api.error;

/**
 * Root of every error the engine raises. Subclasses are grouped by what the caller should do:
 * {@link NotFoundException} (nothing to act on), {@link ValidationException} (fix the input),
 * {@link ConflictException} (the state does not allow the operation), {@link LeaseException}
 * (the caller's lease fence is no longer valid), {@link TransientException} (retry later) and
 * {@link UnavailableException} (the backend cannot serve the call now). A driver exception is
 * always kept as the cause.
 */
public abstract class EngineException extends RuntimeException {

    protected EngineException(String message) {
        super(message);
    }

    protected EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether repeating the same call later may succeed without changing it. */
    public boolean isRetryable() {
        return false;
    }
}
