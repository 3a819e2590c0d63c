package io.flowfabric.internal;

import io.flowfabric.api.AttemptId;
import io.flowfabric.api.AttemptInfo;
import io.flowfabric.api.CurrentLease;
import io.flowfabric.api.ExecutionSnapshot;
import io.flowfabric.api.ExecutionSummary;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.LeaseId;
import io.flowfabric.api.Namespace;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.WorkerInstanceId;
import io.flowfabric.api.state.BlockingReason;
import io.flowfabric.api.state.EligibilityState;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.StateVector;
import java.time.Instant;
import java.util.List;

/** Maps stored rows to the read models of the API. */
final class Snapshots {
    private Snapshots() {
    }

    /**
     * The state as a claim would see it: a delayed execution whose time has come is reported eligible and
     * {@code waiting} (promotion is lazy; the stored row changes at the next claim or promotion).
     */
    static StateVector effectiveState(ExecutionRow row, long nowMs) {
        StateVector stored = row.state();
        if (isDueDelayed(row, nowMs)) {
            return new StateVector(stored.lifecyclePhase(), stored.ownershipState(), EligibilityState.ELIGIBLE_NOW,
                    BlockingReason.WAITING_FOR_WORKER, stored.terminalOutcome(), stored.attemptState());
        }
        return stored;
    }

    static boolean isDueDelayed(ExecutionRow row, long nowMs) {
        return row.lifecyclePhase == LifecyclePhase.RUNNABLE
                && row.eligibilityState == EligibilityState.NOT_ELIGIBLE_UNTIL_TIME
                && row.eligibleAtMs <= nowMs;
    }

    static ExecutionSnapshot snapshot(ExecutionRow row, List<AttemptRow> attempts, long nowMs) {
        StateVector state = effectiveState(row, nowMs);
        boolean delayed = state.eligibilityState() == EligibilityState.NOT_ELIGIBLE_UNTIL_TIME;
        return new ExecutionSnapshot(
                row.id(),
                row.executionKind,
                LaneId.of(row.laneId),
                Namespace.of(row.namespace),
                row.priority,
                state,
                state.publicState(),
                PolicyCodec.decodePolicy(row.policyJson),
                PolicyCodec.decodeTags(row.tagsJson),
                instant(row.createdAtMs),
                delayed ? instant(row.eligibleAtMs) : null,
                instant(row.startedAtMs),
                instant(row.terminalAtMs),
                instant(row.deadlineAtMs),
                row.currentAttemptIndex,
                row.totalAttemptCount,
                row.retryCount,
                row.reclaimCount,
                currentLease(row),
                row.progressPct,
                row.progressMessage,
                row.lastErrorType,
                row.lastErrorMessage,
                row.cancellationReason,
                attempts.stream().map(Snapshots::attempt).toList());
    }

    static ExecutionSummary summary(ExecutionRow row, long nowMs) {
        return new ExecutionSummary(row.id(), row.executionKind, LaneId.of(row.laneId), Namespace.of(row.namespace),
                effectiveState(row, nowMs).publicState(), row.priority, instant(row.createdAtMs));
    }

    private static CurrentLease currentLease(ExecutionRow row) {
        if (row.lifecyclePhase != LifecyclePhase.ACTIVE || row.ownershipState == OwnershipState.UNOWNED
                || row.leaseId == null) {
            return null;
        }
        return new CurrentLease(LeaseId.of(row.leaseId), row.leaseEpoch, WorkerId.of(row.leaseWorkerId),
                WorkerInstanceId.of(row.leaseWorkerInstanceId), instant(row.leaseExpiresAtMs));
    }

    private static AttemptInfo attempt(AttemptRow a) {
        return new AttemptInfo(a.attemptIndex, AttemptId.of(a.attemptId), a.attemptType, a.attemptLifecycle,
                a.leaseEpoch, WorkerId.of(a.workerId), WorkerInstanceId.of(a.workerInstanceId),
                instant(a.startedAtMs), instant(a.endedAtMs), a.errorType, a.errorMessage);
    }

    static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
