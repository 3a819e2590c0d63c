package io.flowfabric.api.state;

import java.util.Objects;

/**
 * The six stored state dimensions of an execution; {@link #publicState()} is the seventh, derived
 * one.
 */
public record StateVector(
        LifecyclePhase lifecyclePhase,
        OwnershipState ownershipState,
        EligibilityState eligibilityState,
        BlockingReason blockingReason,
        TerminalOutcome terminalOutcome,
        AttemptState attemptState) {

    public StateVector {
        Objects.requireNonNull(lifecyclePhase, "lifecyclePhase");
        Objects.requireNonNull(ownershipState, "ownershipState");
        Objects.requireNonNull(eligibilityState, "eligibilityState");
        Objects.requireNonNull(blockingReason, "blockingReason");
        Objects.requireNonNull(terminalOutcome, "terminalOutcome");
        Objects.requireNonNull(attemptState, "attemptState");
    }

    public PublicState publicState() {
        return PublicState.derive(lifecyclePhase, eligibilityState, terminalOutcome);
    }
}
