package io.flowfabric.api.error;

import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.TerminalOutcome;

/**
 * A lease-bound call reached an execution that is no longer active under the caller's lease, for
 * example a {@code complete} after the same attempt already failed. Carries the observed phase and
 * outcome so the caller can recognise what happened.
 */
public final class ExecutionNotActiveException extends ConflictException {
    private final LifecyclePhase phase;
    private final TerminalOutcome outcome;

    public ExecutionNotActiveException(String executionId, LifecyclePhase phase, TerminalOutcome outcome) {
        super("execution " + executionId + " is not active (phase " + phase.literal() + ", outcome "
                + outcome.literal() + ")");
        this.phase = phase;
        this.outcome = outcome;
    }

    public LifecyclePhase phase() {
        return phase;
    }

    public TerminalOutcome outcome() {
        return outcome;
    }
}
