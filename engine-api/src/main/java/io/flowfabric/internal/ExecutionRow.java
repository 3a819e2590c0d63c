package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.BlockingReason;
import io.flowfabric.api.state.EligibilityState;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.StateVector;
import io.flowfabric.api.state.TerminalOutcome;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code ff_exec_core}, field for column (the column is the field name in snake case). A
 * mutable transfer object: the core engine loads a row under lock, changes it and writes it back in the
 * same transaction. Times are epoch milliseconds; nullable columns are boxed.
 */
public final class ExecutionRow {
    /**
     * The columns set once by create and never written by {@link StoreTx#updateExecution}: changing one of
     * these fields on a loaded row has no effect on the stored row.
     */
    public static final List<String> FIXED_AT_CREATION = List.of("namespace", "lane_id", "execution_kind",
            "created_at_ms", "deadline_at_ms", "payload", "policy_json", "tags_json", "required_capabilities",
            "idempotency_key");

    public int partitionKey;
    public UUID executionId;
    public String namespace;
    public String laneId;
    public String executionKind;
    public int priority;

    public LifecyclePhase lifecyclePhase;
    public OwnershipState ownershipState;
    public EligibilityState eligibilityState;
    public BlockingReason blockingReason;
    public TerminalOutcome terminalOutcome;
    public AttemptState attemptState;
    /** Derived from the vector by {@link #setState}; stored so lists can filter on it. */
    public PublicState publicState;
    public String blockingDetail;

    public long createdAtMs;
    /** When a runnable execution becomes claimable; equals {@code createdAtMs} when it was never delayed. */
    public long eligibleAtMs;
    public Long startedAtMs;
    public Long terminalAtMs;
    /** The execution deadline, if the policy sets one. */
    public Long deadlineAtMs;
    public long updatedAtMs;

    /** Index of the current attempt, {@code null} before the first claim. */
    public Integer currentAttemptIndex;
    public UUID currentAttemptId;
    public int totalAttemptCount;
    public int retryCount;
    public int reclaimCount;
    public int replayCount;

    /** The last issued lease; kept after release so a replayed call can be recognised. */
    public UUID leaseId;
    /** Fencing token: incremented by every lease issuance, 0 before the first. */
    public long leaseEpoch;
    public Long leaseExpiresAtMs;
    public Long leaseTtlMs;
    public String leaseWorkerId;
    public String leaseWorkerInstanceId;
    public Long attemptDeadlineAtMs;

    public Integer progressPct;
    public String progressMessage;
    public String lastErrorType;
    public String lastErrorMessage;
    public String cancellationReason;

    public byte[] payload;
    public byte[] result;
    public String policyJson;
    public String tagsJson;
    /** Sorted capability tokens a claiming worker must offer. */
    public List<String> requiredCapabilities = List.of();
    public String idempotencyKey;
    /**
     * The stored row's version when it was read: every update increments it, and an optimistic write
     * ({@link Store#optimistic}) applies only while it is unchanged. Not written by the core engine.
     */
    public long rowVersion;

    public ExecutionId id() {
        return new ExecutionId(partitionKey, executionId);
    }

    public StateVector state() {
        return new StateVector(lifecyclePhase, ownershipState, eligibilityState, blockingReason, terminalOutcome,
                attemptState);
    }

    /** Writes all six dimensions and recomputes {@link #publicState}. */
    public void setState(StateVector vector) {
        lifecyclePhase = vector.lifecyclePhase();
        ownershipState = vector.ownershipState();
        eligibilityState = vector.eligibilityState();
        blockingReason = vector.blockingReason();
        terminalOutcome = vector.terminalOutcome();
        attemptState = vector.attemptState();
        publicState = vector.publicState();
    }
}
