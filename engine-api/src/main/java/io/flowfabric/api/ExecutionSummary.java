package io.flowfabric.api;

import io.flowfabric.api.state.PublicState;
import java.time.Instant;

/** One entry of {@link Executions#list}. */
public record ExecutionSummary(
        ExecutionId executionId,
        String kind,
        LaneId lane,
        Namespace namespace,
        PublicState publicState,
        int priority,
        Instant createdAt) {
}
