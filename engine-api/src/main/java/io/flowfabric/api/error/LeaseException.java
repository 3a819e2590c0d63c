package io.flowfabric.api.error;

/**
 * The caller's lease fence {@code (lease_id, lease_epoch, attempt_id)} no longer grants ownership.
 * The worker must stop working on the execution; nothing was changed.
 */
public abstract class LeaseException extends EngineException {
    protected LeaseException(String message) {
        super(message);
    }
}
