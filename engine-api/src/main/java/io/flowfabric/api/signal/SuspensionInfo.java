package io.flowfabric.api.signal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The open suspension of an execution.
 *
 * @param membersSatisfied for an {@code AllOf} or {@code AnyOf} condition, whether each member is satisfied
 *     by the signals so far, in member order; for any other condition one entry for the whole condition
 * @param timeoutAt when the timeout behaviour applies, or {@code null}
 */
public record SuspensionInfo(
        UUID suspensionId,
        String reasonCode,
        ResumeCondition condition,
        List<Boolean> membersSatisfied,
        List<WaitpointInfo> waitpoints,
        List<ReceivedSignal> signals,
        Instant suspendedAt,
        Instant timeoutAt,
        TimeoutBehavior timeoutBehavior) {
}
