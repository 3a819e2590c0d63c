package io.flowfabric.postgres;

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
import io.flowfabric.api.state.Transition;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.OutboxRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Row fixtures for the store tests: valid rows with every NOT NULL column set. */
final class TestRows {
    static final long T0 = 1_700_000_000_000L;

    private TestRows() {
    }

    /** A namespace no other test uses, so tests sharing a database do not see each other's rows. */
    static String uniqueNamespace() {
        return "ns-" + UUID.randomUUID();
    }

    /** A runnable, unowned, eligible execution created (and eligible) at {@code createdAtMs}. */
    static ExecutionRow runnable(String namespace, String lane, int priority, long createdAtMs) {
        ExecutionRow row = new ExecutionRow();
        row.partitionKey = ThreadLocalRandom.current().nextInt(ExecutionId.PARTITIONS);
        row.executionId = UUID.randomUUID();
        row.namespace = namespace;
        row.laneId = lane;
        row.executionKind = "test-kind";
        row.priority = priority;
        row.setState(new StateVector(LifecyclePhase.RUNNABLE, OwnershipState.UNOWNED, EligibilityState.ELIGIBLE_NOW,
                BlockingReason.NONE, TerminalOutcome.NONE, AttemptState.PENDING_FIRST_ATTEMPT));
        row.createdAtMs = createdAtMs;
        row.eligibleAtMs = createdAtMs;
        row.updatedAtMs = createdAtMs;
        row.payload = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        row.policyJson = "{}";
        row.tagsJson = "{}";
        return row;
    }

    /** {@code row} delayed until {@code eligibleAtMs}. */
    static ExecutionRow delayed(ExecutionRow row, long eligibleAtMs) {
        row.setState(new StateVector(LifecyclePhase.RUNNABLE, OwnershipState.UNOWNED,
                EligibilityState.NOT_ELIGIBLE_UNTIL_TIME, BlockingReason.WAITING_FOR_DELAY, TerminalOutcome.NONE,
                AttemptState.PENDING_FIRST_ATTEMPT));
        row.eligibleAtMs = eligibleAtMs;
        return row;
    }

    /** {@code row} active under a lease (epoch 1, attempt 0) that expires at {@code leaseExpiresAtMs}. */
    static ExecutionRow leased(ExecutionRow row, long leaseExpiresAtMs) {
        row.setState(new StateVector(LifecyclePhase.ACTIVE, OwnershipState.LEASED, EligibilityState.NOT_APPLICABLE,
                BlockingReason.NONE, TerminalOutcome.NONE, AttemptState.RUNNING_ATTEMPT));
        row.startedAtMs = row.createdAtMs;
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

    /** {@code row} in the target state of {@code transition} (only the state columns change). */
    static ExecutionRow after(ExecutionRow row, Transition transition) {
        row.setState(transition.target());
        return row;
    }

    /** {@code row} ended successfully at {@code terminalAtMs}. */
    static ExecutionRow terminal(ExecutionRow row, long terminalAtMs) {
        row.setState(Transition.COMPLETE.target());
        row.terminalAtMs = terminalAtMs;
        return row;
    }

    /** {@code row} in the active phase under a lease, with every nullable column set. */
    static ExecutionRow activeWithEverySet(ExecutionRow row) {
        row.setState(new StateVector(LifecyclePhase.ACTIVE, OwnershipState.LEASED, EligibilityState.NOT_APPLICABLE,
                BlockingReason.NONE, TerminalOutcome.NONE, AttemptState.RUNNING_ATTEMPT));
        row.blockingDetail = "detail";
        row.startedAtMs = row.createdAtMs + 1;
        row.terminalAtMs = row.createdAtMs + 2;
        row.deadlineAtMs = row.createdAtMs + 3;
        row.updatedAtMs = row.createdAtMs + 4;
        row.currentAttemptIndex = 0;
        row.currentAttemptId = UUID.randomUUID();
        row.totalAttemptCount = 1;
        row.retryCount = 2;
        row.reclaimCount = 3;
        row.replayCount = 4;
        row.leaseId = UUID.randomUUID();
        row.leaseEpoch = 7;
        row.leaseExpiresAtMs = row.createdAtMs + 30_000;
        row.leaseTtlMs = 30_000L;
        row.leaseWorkerId = "worker-1";
        row.leaseWorkerInstanceId = "instance-1";
        row.attemptDeadlineAtMs = row.createdAtMs + 60_000;
        row.progressPct = 42;
        row.progressMessage = "halfway";
        row.lastErrorType = "io";
        row.lastErrorMessage = "disk full";
        row.cancellationReason = "none yet";
        row.payload = new byte[] {0, 1, 2, (byte) 0xff};
        row.result = new byte[] {9, 8, 7};
        row.policyJson = "{\"retry\": {\"max\": 3}}";
        row.tagsJson = "{\"team\": \"a\"}";
        row.requiredCapabilities = List.of("gpu", "linux");
        row.idempotencyKey = "key-1";
        return row;
    }

    /** The first attempt of {@code execution}, running. */
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
        row.startedAtMs = T0 + index;
        return row;
    }

    /** An outbox row about a random execution of {@code namespace}; tags {@code {"test": tag}}. */
    static OutboxRow outbox(Feed feed, String namespace, String eventType, String tag, long occurredAtMs) {
        OutboxRow row = new OutboxRow();
        row.feed = feed;
        row.partitionKey = ThreadLocalRandom.current().nextInt(ExecutionId.PARTITIONS);
        row.executionId = UUID.randomUUID();
        row.namespace = namespace;
        row.eventType = eventType;
        row.tagsJson = "{\"test\": \"" + tag + "\"}";
        row.occurredAtMs = occurredAtMs;
        row.detailsJson = "{\"reason\": \"r\"}";
        return row;
    }
}
