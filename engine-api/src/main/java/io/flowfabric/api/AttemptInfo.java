package io.flowfabric.api;

import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptType;
import java.time.Instant;

/** One attempt in an execution's history. {@code endedAt}, {@code errorType} and {@code errorMessage} may be null. */
public record AttemptInfo(
        int attemptIndex,
        AttemptId attemptId,
        AttemptType attemptType,
        AttemptLifecycle lifecycle,
        long leaseEpoch,
        WorkerId workerId,
        WorkerInstanceId workerInstanceId,
        Instant startedAt,
        Instant endedAt,
        String errorType,
        String errorMessage) {
}
