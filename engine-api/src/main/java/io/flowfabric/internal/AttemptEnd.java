package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptLifecycle;

/**
 * The columns {@link StoreTx#endAttempt} sets on one attempt: its lifecycle, and when it ended and why
 * (all three {@code null} while the attempt is only paused).
 *
 * @param endedAtMs epoch milliseconds, or {@code null}
 */
public record AttemptEnd(ExecutionId executionId, int attemptIndex, AttemptLifecycle lifecycle, Long endedAtMs,
        String errorType, String errorMessage) {
}
