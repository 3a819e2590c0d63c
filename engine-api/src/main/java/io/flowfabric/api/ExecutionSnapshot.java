package io.flowfabric.api;

import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.StateVector;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything known about one execution. Nullable: {@code eligibleAt} (only while delayed),
 * {@code startedAt}, {@code terminalAt}, {@code deadlineAt}, {@code currentLease} (only while leased),
 * {@code currentAttemptIndex} (before the first claim), progress, error and cancellation fields.
 * A delayed execution whose time has come is reported as eligible and {@code waiting}, as a claim would
 * treat it.
 */
public record ExecutionSnapshot(
        ExecutionId executionId,
        String kind,
        LaneId lane,
        Namespace namespace,
        int priority,
        StateVector state,
        PublicState publicState,
        ExecutionPolicy policy,
        Map<String, String> tags,
        Instant createdAt,
        Instant eligibleAt,
        Instant startedAt,
        Instant terminalAt,
        Instant deadlineAt,
        Integer currentAttemptIndex,
        int totalAttemptCount,
        int retryCount,
        int reclaimCount,
        CurrentLease currentLease,
        Integer progressPercent,
        String progressMessage,
        String lastErrorType,
        String lastErrorMessage,
        String cancellationReason,
        List<AttemptInfo> attempts) {
}
