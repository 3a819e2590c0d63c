package io.flowfabric.api;

import java.time.Instant;

/** Result of {@link Leases#fail}. */
public sealed interface FailOutcome permits FailOutcome.RetryScheduled, FailOutcome.TerminalFailed {

    /** A retry was scheduled: the next attempt, {@code nextAttemptIndex}, becomes claimable at {@code delayUntil}. */
    record RetryScheduled(Instant delayUntil, int nextAttemptIndex) implements FailOutcome {
    }

    /** No retry is left (or the policy has none): the execution is terminal {@code failed}. */
    record TerminalFailed(ExecutionId executionId) implements FailOutcome {
    }
}
