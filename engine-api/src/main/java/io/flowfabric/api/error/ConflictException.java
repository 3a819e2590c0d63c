package io.flowfabric.api.error;

/**
 * The execution's current state does not allow the operation (for example cancelling an execution
 * that already completed). Repeating the call will not help unless the state changes.
 */
public class ConflictException extends EngineException {
    public ConflictException(String message) {
        super(message);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
