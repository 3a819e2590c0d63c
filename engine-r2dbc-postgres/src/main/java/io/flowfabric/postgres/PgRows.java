package io.flowfabric.postgres;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.api.state.BlockingReason;
import io.flowfabric.api.state.CanonicalLiteral;
import io.flowfabric.api.state.EligibilityState;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.TerminalOutcome;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ExecutionRow;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import java.util.List;
import java.util.UUID;

/**
 * Converts {@link ExecutionRow} and {@link AttemptRow} to and from columns. The column lists below fix the
 * bind order: {@code bindExecution} binds {@code $1..$44} in {@link #EXECUTION_COLUMNS} order and
 * {@code bindAttempt} binds {@code $1..$14} in {@link #ATTEMPT_COLUMNS} order, so the statements in
 * {@link PgTx} rely on those positions. Enums are stored as their canonical literal.
 */
final class PgRows {

    /** Every column of {@code ff_exec_core}, in bind order ($1 = partition_key ... $44 = idempotency_key). */
    static final String EXECUTION_COLUMNS = """
            partition_key, execution_id, namespace, lane_id, execution_kind, priority,
            lifecycle_phase, ownership_state, eligibility_state, blocking_reason, terminal_outcome,
            attempt_state, public_state, blocking_detail,
            created_at_ms, eligible_at_ms, started_at_ms, terminal_at_ms, deadline_at_ms, updated_at_ms,
            current_attempt_index, current_attempt_id, total_attempt_count, retry_count, reclaim_count,
            replay_count,
            lease_id, lease_epoch, lease_expires_at_ms, lease_ttl_ms, lease_worker_id,
            lease_worker_instance_id, attempt_deadline_at_ms,
            progress_pct, progress_message, last_error_type, last_error_message, cancellation_reason,
            payload, result, policy_json, tags_json, required_capabilities, idempotency_key
            """;

    /** What reads of executions select: every column, then {@code row_version}. */
    static final String SELECT_COLUMNS = EXECUTION_COLUMNS.strip() + ", row_version\n";

    /** Every column of {@code ff_attempt}, in bind order ($1 = partition_key ... $14 = error_message). */
    static final String ATTEMPT_COLUMNS = """
            partition_key, execution_id, attempt_index, attempt_id, attempt_type, attempt_lifecycle,
            lease_id, lease_epoch, worker_id, worker_instance_id, started_at_ms, ended_at_ms,
            error_type, error_message
            """;

    private PgRows() {
    }

    /** Binds every execution column to {@code $1..$44}. */
    static Statement bindExecution(Statement statement, ExecutionRow row) {
        Params p = new Params(statement);
        p.add((short) row.partitionKey).add(row.executionId).add(row.namespace).add(row.laneId)
                .add(row.executionKind).add(row.priority);
        p.add(literal(row.lifecyclePhase)).add(literal(row.ownershipState)).add(literal(row.eligibilityState))
                .add(literal(row.blockingReason)).add(literal(row.terminalOutcome))
                .add(literal(row.attemptState)).add(literal(row.publicState)).add(row.blockingDetail, String.class);
        p.add(row.createdAtMs).add(row.eligibleAtMs).add(row.startedAtMs, Long.class)
                .add(row.terminalAtMs, Long.class).add(row.deadlineAtMs, Long.class).add(row.updatedAtMs);
        p.add(row.currentAttemptIndex, Integer.class).add(row.currentAttemptId, UUID.class)
                .add(row.totalAttemptCount).add(row.retryCount).add(row.reclaimCount).add(row.replayCount);
        p.add(row.leaseId, UUID.class).add(row.leaseEpoch).add(row.leaseExpiresAtMs, Long.class)
                .add(row.leaseTtlMs, Long.class).add(row.leaseWorkerId, String.class)
                .add(row.leaseWorkerInstanceId, String.class).add(row.attemptDeadlineAtMs, Long.class);
        p.add(row.progressPct, Integer.class).add(row.progressMessage, String.class)
                .add(row.lastErrorType, String.class).add(row.lastErrorMessage, String.class)
                .add(row.cancellationReason, String.class);
        p.add(row.payload, byte[].class).add(row.result, byte[].class).add(json(row.policyJson), Json.class)
                .add(json(row.tagsJson), Json.class).add(capabilities(row.requiredCapabilities))
                .add(row.idempotencyKey, String.class);
        return statement;
    }

    /** Reads a row selected with {@link #SELECT_COLUMNS}. */
    static ExecutionRow execution(Readable r) {
        ExecutionRow row = new ExecutionRow();
        row.partitionKey = r.get("partition_key", Integer.class);
        row.executionId = r.get("execution_id", UUID.class);
        row.namespace = r.get("namespace", String.class);
        row.laneId = r.get("lane_id", String.class);
        row.executionKind = r.get("execution_kind", String.class);
        row.priority = r.get("priority", Integer.class);
        readState(r, row);
        row.createdAtMs = r.get("created_at_ms", Long.class);
        row.eligibleAtMs = r.get("eligible_at_ms", Long.class);
        row.startedAtMs = r.get("started_at_ms", Long.class);
        row.terminalAtMs = r.get("terminal_at_ms", Long.class);
        row.deadlineAtMs = r.get("deadline_at_ms", Long.class);
        row.updatedAtMs = r.get("updated_at_ms", Long.class);
        row.currentAttemptIndex = r.get("current_attempt_index", Integer.class);
        row.currentAttemptId = r.get("current_attempt_id", UUID.class);
        row.totalAttemptCount = r.get("total_attempt_count", Integer.class);
        row.retryCount = r.get("retry_count", Integer.class);
        row.reclaimCount = r.get("reclaim_count", Integer.class);
        row.replayCount = r.get("replay_count", Integer.class);
        readLease(r, row);
        row.progressPct = r.get("progress_pct", Integer.class);
        row.progressMessage = r.get("progress_message", String.class);
        row.lastErrorType = r.get("last_error_type", String.class);
        row.lastErrorMessage = r.get("last_error_message", String.class);
        row.cancellationReason = r.get("cancellation_reason", String.class);
        row.payload = r.get("payload", byte[].class);
        row.result = r.get("result", byte[].class);
        row.policyJson = r.get("policy_json", String.class);
        row.tagsJson = r.get("tags_json", String.class);
        String[] capabilities = r.get("required_capabilities", String[].class);
        row.requiredCapabilities = capabilities == null ? List.of() : List.of(capabilities);
        row.idempotencyKey = r.get("idempotency_key", String.class);
        row.rowVersion = r.get("row_version", Long.class);
        return row;
    }

    /** Binds every attempt column to {@code $1..$14}. */
    static Statement bindAttempt(Statement statement, AttemptRow row) {
        new Params(statement).add((short) row.partitionKey).add(row.executionId).add(row.attemptIndex)
                .add(row.attemptId).add(literal(row.attemptType)).add(literal(row.attemptLifecycle))
                .add(row.leaseId).add(row.leaseEpoch).add(row.workerId).add(row.workerInstanceId)
                .add(row.startedAtMs).add(row.endedAtMs, Long.class).add(row.errorType, String.class)
                .add(row.errorMessage, String.class);
        return statement;
    }

    /** Reads a row selected with {@link #ATTEMPT_COLUMNS}. */
    static AttemptRow attempt(Readable r) {
        AttemptRow row = new AttemptRow();
        row.partitionKey = r.get("partition_key", Integer.class);
        row.executionId = r.get("execution_id", UUID.class);
        row.attemptIndex = r.get("attempt_index", Integer.class);
        row.attemptId = r.get("attempt_id", UUID.class);
        row.attemptType = AttemptType.fromLiteral(r.get("attempt_type", String.class));
        row.attemptLifecycle = AttemptLifecycle.fromLiteral(r.get("attempt_lifecycle", String.class));
        row.leaseId = r.get("lease_id", UUID.class);
        row.leaseEpoch = r.get("lease_epoch", Long.class);
        row.workerId = r.get("worker_id", String.class);
        row.workerInstanceId = r.get("worker_instance_id", String.class);
        row.startedAtMs = r.get("started_at_ms", Long.class);
        row.endedAtMs = r.get("ended_at_ms", Long.class);
        row.errorType = r.get("error_type", String.class);
        row.errorMessage = r.get("error_message", String.class);
        return row;
    }

    /** Reads the {@code (partition_key, execution_id)} pair of a result row. */
    static ExecutionId executionId(Readable r) {
        return new ExecutionId(r.get("partition_key", Integer.class), r.get("execution_id", UUID.class));
    }

    static String[] capabilities(List<String> values) {
        return values == null ? new String[0] : values.toArray(String[]::new);
    }

    private static void readState(Readable r, ExecutionRow row) {
        row.lifecyclePhase = LifecyclePhase.fromLiteral(r.get("lifecycle_phase", String.class));
        row.ownershipState = OwnershipState.fromLiteral(r.get("ownership_state", String.class));
        row.eligibilityState = EligibilityState.fromLiteral(r.get("eligibility_state", String.class));
        row.blockingReason = BlockingReason.fromLiteral(r.get("blocking_reason", String.class));
        row.terminalOutcome = TerminalOutcome.fromLiteral(r.get("terminal_outcome", String.class));
        row.attemptState = AttemptState.fromLiteral(r.get("attempt_state", String.class));
        row.publicState = PublicState.fromLiteral(r.get("public_state", String.class));
        row.blockingDetail = r.get("blocking_detail", String.class);
    }

    private static void readLease(Readable r, ExecutionRow row) {
        row.leaseId = r.get("lease_id", UUID.class);
        row.leaseEpoch = r.get("lease_epoch", Long.class);
        row.leaseExpiresAtMs = r.get("lease_expires_at_ms", Long.class);
        row.leaseTtlMs = r.get("lease_ttl_ms", Long.class);
        row.leaseWorkerId = r.get("lease_worker_id", String.class);
        row.leaseWorkerInstanceId = r.get("lease_worker_instance_id", String.class);
        row.attemptDeadlineAtMs = r.get("attempt_deadline_at_ms", Long.class);
    }

    // A null state is a bug in the core engine; Params.add rejects it before anything reaches the server.
    private static String literal(CanonicalLiteral value) {
        return value == null ? null : value.literal();
    }

    private static Json json(String text) {
        return text == null ? null : Json.of(text);
    }

    /**
     * Binds values to consecutive positions, {@code bindNull} with the column's Java type for nulls. Shared
     * with {@link PgSignalRows}.
     */
    static final class Params {
        private final Statement statement;
        private int index;

        Params(Statement statement) {
            this.statement = statement;
        }

        Params add(Object value) {
            if (value == null) {
                throw new IllegalArgumentException("a NOT NULL column at $" + (index + 1) + " has no value");
            }
            statement.bind(index++, value);
            return this;
        }

        Params add(Object value, Class<?> type) {
            if (value == null) {
                statement.bindNull(index++, type);
            } else {
                statement.bind(index++, value);
            }
            return this;
        }
    }
}
