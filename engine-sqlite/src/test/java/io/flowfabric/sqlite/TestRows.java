package io.flowfabric.sqlite;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.api.state.BlockingReason;
import io.flowfabric.api.state.EligibilityState;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.StateVector;
import io.flowfabric.api.state.TerminalOutcome;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Rows for store tests. */
final class TestRows {
    static final String NAMESPACE = "ns";
    static final String LANE = "default";

    private TestRows() {
    }

    /** A fresh runnable, unowned, eligible execution with only the required columns set. */
    static ExecutionRow runnable(int partition, long createdAtMs) {
        ExecutionRow row = new ExecutionRow();
        row.partitionKey = partition;
        row.executionId = UUID.randomUUID();
        row.namespace = NAMESPACE;
        row.laneId = LANE;
        row.executionKind = "kind";
        row.setState(new StateVector(LifecyclePhase.RUNNABLE, OwnershipState.UNOWNED,
                EligibilityState.ELIGIBLE_NOW, BlockingReason.WAITING_FOR_WORKER, TerminalOutcome.NONE,
                AttemptState.PENDING_FIRST_ATTEMPT));
        row.createdAtMs = createdAtMs;
        row.eligibleAtMs = createdAtMs;
        row.updatedAtMs = createdAtMs;
        row.payload = "{}".getBytes(StandardCharsets.UTF_8);
        row.policyJson = "{}";
        row.tagsJson = "{}";
        return row;
    }

    /** A runnable row delayed until {@code eligibleAtMs}. */
    static ExecutionRow delayed(int partition, long createdAtMs, long eligibleAtMs) {
        ExecutionRow row = runnable(partition, createdAtMs);
        row.setState(new StateVector(LifecyclePhase.RUNNABLE, OwnershipState.UNOWNED,
                EligibilityState.NOT_ELIGIBLE_UNTIL_TIME, BlockingReason.WAITING_FOR_DELAY, TerminalOutcome.NONE,
                AttemptState.PENDING_FIRST_ATTEMPT));
        row.eligibleAtMs = eligibleAtMs;
        return row;
    }

    /**
     * An active row owned as {@code ownership} (lease fields set, expiring at {@code leaseExpiresAtMs}),
     * with no deadlines.
     */
    static ExecutionRow active(int partition, long createdAtMs, OwnershipState ownership, long leaseExpiresAtMs) {
        ExecutionRow row = runnable(partition, createdAtMs);
        row.setState(new StateVector(LifecyclePhase.ACTIVE, ownership, EligibilityState.NOT_APPLICABLE,
                BlockingReason.NONE, TerminalOutcome.NONE, ownership == OwnershipState.LEASED
                        ? AttemptState.RUNNING_ATTEMPT : AttemptState.ATTEMPT_INTERRUPTED));
        row.startedAtMs = createdAtMs;
        row.currentAttemptIndex = 0;
        row.currentAttemptId = UUID.randomUUID();
        row.totalAttemptCount = 1;
        row.leaseId = UUID.randomUUID();
        row.leaseEpoch = 1;
        row.leaseExpiresAtMs = leaseExpiresAtMs;
        row.leaseTtlMs = 30_000L;
        row.leaseWorkerId = "worker-1";
        row.leaseWorkerInstanceId = "instance-1";
        return row;
    }

    /** A row that ended successfully at {@code terminalAtMs}. */
    static ExecutionRow terminal(int partition, long terminalAtMs) {
        ExecutionRow row = runnable(partition, 1);
        row.setState(new StateVector(LifecyclePhase.TERMINAL, OwnershipState.UNOWNED,
                EligibilityState.NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.SUCCESS,
                AttemptState.ATTEMPT_TERMINAL));
        row.terminalAtMs = terminalAtMs;
        return row;
    }

    /** A leased, active row with every nullable column set. */
    static ExecutionRow full(int partition) {
        ExecutionRow row = runnable(partition, 1_000);
        row.priority = -7;
        row.setState(new StateVector(LifecyclePhase.ACTIVE, OwnershipState.LEASED, EligibilityState.NOT_APPLICABLE,
                BlockingReason.NONE, TerminalOutcome.NONE, AttemptState.RUNNING_ATTEMPT));
        row.blockingDetail = "detail";
        row.eligibleAtMs = 1_500;
        row.startedAtMs = 2_000L;
        row.terminalAtMs = 3_000L;
        row.deadlineAtMs = 9_000_000_000_000L;
        row.updatedAtMs = 2_500;
        row.currentAttemptIndex = 2;
        row.currentAttemptId = UUID.randomUUID();
        row.totalAttemptCount = 3;
        row.retryCount = 1;
        row.reclaimCount = 1;
        row.replayCount = 4;
        row.leaseId = UUID.randomUUID();
        row.leaseEpoch = 5_000_000_000L;
        row.leaseExpiresAtMs = 32_000L;
        row.leaseTtlMs = 30_000L;
        row.leaseWorkerId = "worker-1";
        row.leaseWorkerInstanceId = "instance-1";
        row.attemptDeadlineAtMs = 60_000L;
        row.progressPct = 42;
        row.progressMessage = "halfway";
        row.lastErrorType = "timeout";
        row.lastErrorMessage = "took too long: ünïcødé";
        row.cancellationReason = "operator";
        row.payload = new byte[] {0, 1, 2, (byte) 0xff, 0};
        row.result = new byte[] {9, 8, 7};
        row.policyJson = "{\"retry\":{\"max\":3}}";
        row.tagsJson = "{\"team\":\"search\"}";
        row.requiredCapabilities = List.of("gpu", "linux");
        row.idempotencyKey = "key-1";
        return row;
    }

    static AttemptRow attempt(ExecutionRow execution, int index) {
        AttemptRow row = new AttemptRow();
        row.partitionKey = execution.partitionKey;
        row.executionId = execution.executionId;
        row.attemptIndex = index;
        row.attemptId = UUID.randomUUID();
        row.attemptType = index == 0 ? AttemptType.INITIAL : AttemptType.RETRY;
        row.attemptLifecycle = AttemptLifecycle.STARTED;
        row.leaseId = UUID.randomUUID();
        row.leaseEpoch = index + 1;
        row.workerId = "worker-1";
        row.workerInstanceId = "instance-1";
        row.startedAtMs = 10_000 + index;
        return row;
    }

    /** A suspended row waiting for a signal (lease released). */
    static ExecutionRow suspended(int partition, long createdAtMs) {
        ExecutionRow row = runnable(partition, createdAtMs);
        row.setState(new StateVector(LifecyclePhase.SUSPENDED, OwnershipState.UNOWNED,
                EligibilityState.NOT_APPLICABLE, BlockingReason.WAITING_FOR_SIGNAL, TerminalOutcome.NONE,
                AttemptState.ATTEMPT_INTERRUPTED));
        row.startedAtMs = createdAtMs;
        row.currentAttemptIndex = 0;
        row.currentAttemptId = UUID.randomUUID();
        row.totalAttemptCount = 1;
        return row;
    }

    /** A waitpoint of {@code execution} with only the required columns set. */
    static WaitpointRow waitpoint(ExecutionRow execution, String key, String state, long createdAtMs) {
        WaitpointRow row = new WaitpointRow();
        row.partitionKey = execution.partitionKey;
        row.executionId = execution.executionId;
        row.waitpointId = UUID.randomUUID();
        row.waitpointKey = key;
        row.state = state;
        row.tokenKid = "k1";
        row.tokenFingerprint = "fp-" + key;
        row.createdAtMs = createdAtMs;
        return row;
    }

    /** A pending waitpoint expiring at {@code expiresAtMs}. */
    static WaitpointRow pending(ExecutionRow execution, String key, long expiresAtMs) {
        WaitpointRow row = waitpoint(execution, key, "pending", 1);
        row.expiresAtMs = expiresAtMs;
        return row;
    }

    /** An open suspension of {@code execution} with only the required columns set. */
    static SuspensionRow suspension(ExecutionRow execution, Long timeoutAtMs) {
        SuspensionRow row = new SuspensionRow();
        row.partitionKey = execution.partitionKey;
        row.executionId = execution.executionId;
        row.suspensionId = UUID.randomUUID();
        row.reasonCode = "waiting_for_approval";
        row.conditionJson = "{\"type\":\"single\",\"waitpointKey\":\"approval\"}";
        row.timeoutAtMs = timeoutAtMs;
        row.timeoutBehavior = "fail";
        row.suspendedAtMs = 5;
        row.outcomeJson = "{\"waitpoints\":[]}";
        return row;
    }

    /** A satisfying signal delivered to {@code waitpoint}, with only the required columns set. */
    static SignalRow signal(WaitpointRow waitpoint, long deliveredAtMs) {
        SignalRow row = new SignalRow();
        row.partitionKey = waitpoint.partitionKey;
        row.executionId = waitpoint.executionId;
        row.signalId = UUID.randomUUID();
        row.waitpointId = waitpoint.waitpointId;
        row.waitpointKey = waitpoint.waitpointKey;
        row.signalName = "approved";
        row.sourceType = "user";
        row.sourceIdentity = "alice";
        row.payload = "{}".getBytes(StandardCharsets.UTF_8);
        row.deliveredAtMs = deliveredAtMs;
        row.effect = "satisfied";
        return row;
    }

    static SigningKeyRow signingKey(String kid, boolean current, long createdAtMs) {
        SigningKeyRow row = new SigningKeyRow();
        row.kid = kid;
        row.secret = kid.getBytes(StandardCharsets.UTF_8);
        row.createdAtMs = createdAtMs;
        row.current = current;
        return row;
    }

    static ExecutionId id(ExecutionRow row) {
        return row.id();
    }
}
