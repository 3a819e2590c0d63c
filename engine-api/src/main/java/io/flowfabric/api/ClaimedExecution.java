package io.flowfabric.api;

import io.flowfabric.api.state.AttemptType;
import java.time.Instant;
import java.util.Map;

/**
 * An execution leased to the caller. Every lease-bound call on it carries {@link #fence()}.
 *
 * @param attemptIndex zero-based index of the attempt this lease runs
 * @param attemptType why the attempt exists ({@code initial}, {@code retry}, ...)
 * @param resumedAttempt true when an interrupted attempt (for example after {@code delay}) is leased
 *     again rather than a new attempt being created
 * @param leaseExpiresAt when the lease lapses unless renewed
 * @param attemptDeadline when the attempt times out, or {@code null}
 */
public record ClaimedExecution(
        ExecutionId executionId,
        String kind,
        LaneId lane,
        Namespace namespace,
        Payload payload,
        Map<String, String> tags,
        int priority,
        LeaseFence fence,
        int attemptIndex,
        AttemptType attemptType,
        boolean resumedAttempt,
        Instant leaseExpiresAt,
        Instant attemptDeadline) {
}
