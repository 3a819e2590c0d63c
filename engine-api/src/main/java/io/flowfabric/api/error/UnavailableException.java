package io.flowfabric.api.error;

/** The backend cannot serve the call: closed engine, unreachable database or unsupported operation. */
public final class UnavailableException extends EngineException {
    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
