package io.flowfabric.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.api.state.BlockingReason;
import io.flowfabric.api.state.EligibilityState;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.TerminalOutcome;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ExecutionRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

/**
 * Maps {@link ExecutionRow} and {@link AttemptRow} to and from the SQLite columns: uuids as hyphenated
 * text, states as their canonical literals, the capability list as a JSON array text.
 *
 * <p>The binders write the non-key columns first and the key columns last, in the order of
 * {@link #EXECUTION_DATA_COLUMNS} / {@link #ATTEMPT_DATA_COLUMNS}, so one binder serves both the INSERT and
 * the UPDATE ({@code SET ... WHERE key}) statements.
 */
final class Rows {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() { };

    /** The columns of ff_exec_core set once at creation ({@link ExecutionRow#FIXED_AT_CREATION}). */
    static final String EXECUTION_FIXED_COLUMNS = """
            namespace, lane_id, execution_kind, created_at_ms, deadline_at_ms,
            payload, policy_json, tags_json, required_capabilities, idempotency_key""";

    /** The columns of ff_exec_core that transitions change, in binding order. */
    static final String EXECUTION_MUTABLE_COLUMNS = """
            priority, lifecycle_phase, ownership_state, eligibility_state, blocking_reason, terminal_outcome,
            attempt_state, public_state, blocking_detail,
            eligible_at_ms, started_at_ms, terminal_at_ms, updated_at_ms,
            current_attempt_index, current_attempt_id, total_attempt_count, retry_count, reclaim_count,
            replay_count,
            lease_id, lease_epoch, lease_expires_at_ms, lease_ttl_ms, lease_worker_id,
            lease_worker_instance_id, attempt_deadline_at_ms,
            progress_pct, progress_message, last_error_type, last_error_message, cancellation_reason, result""";

    /** Every column of ff_exec_core except the key, in binding order: the fixed, then the mutable ones. */
    static final String EXECUTION_DATA_COLUMNS = EXECUTION_FIXED_COLUMNS + ",\n" + EXECUTION_MUTABLE_COLUMNS;

    /** What reads of executions select: the key, the data columns, then {@code row_version}. */
    static final String EXECUTION_COLUMNS = "partition_key, execution_id,\n" + EXECUTION_DATA_COLUMNS
            + ", row_version\n";

    /** Every column of ff_attempt except the key, in binding order. */
    static final String ATTEMPT_DATA_COLUMNS = """
            attempt_id, attempt_type, attempt_lifecycle, lease_id, lease_epoch, worker_id,
            worker_instance_id, started_at_ms, ended_at_ms, error_type, error_message""";

    /** Every column of ff_attempt: the key, then {@link #ATTEMPT_DATA_COLUMNS}. */
    static final String ATTEMPT_COLUMNS = "partition_key, execution_id, attempt_index,\n" + ATTEMPT_DATA_COLUMNS;

    private Rows() {
    }

    /** Binds the 42 data columns from index 1, then partition_key and execution_id; returns the next index. */
    static int bindExecution(PreparedStatement ps, ExecutionRow row) throws SQLException {
        int i = 1;
        ps.setString(i++, row.namespace);
        ps.setString(i++, row.laneId);
        ps.setString(i++, row.executionKind);
        ps.setLong(i++, row.createdAtMs);
        setLong(ps, i++, row.deadlineAtMs);
        ps.setBytes(i++, row.payload);
        ps.setString(i++, row.policyJson);
        ps.setString(i++, row.tagsJson);
        ps.setString(i++, capabilitiesJson(row.requiredCapabilities));
        ps.setString(i++, row.idempotencyKey);
        i = bindMutable(ps, i, row);
        ps.setInt(i++, row.partitionKey);
        ps.setString(i++, row.executionId.toString());
        return i;
    }

    /**
     * Binds the columns {@code updateExecution} writes ({@link #EXECUTION_MUTABLE_COLUMNS}, in
     * {@link SqliteTx#UPDATE_EXECUTION} order), then the key.
     */
    static int bindMutableExecution(PreparedStatement ps, ExecutionRow row) throws SQLException {
        int i = bindMutable(ps, 1, row);
        ps.setInt(i++, row.partitionKey);
        ps.setString(i++, row.executionId.toString());
        return i;
    }

    private static int bindMutable(PreparedStatement ps, int first, ExecutionRow row) throws SQLException {
        int i = first;
        ps.setInt(i++, row.priority);
        ps.setString(i++, row.lifecyclePhase.literal());
        ps.setString(i++, row.ownershipState.literal());
        ps.setString(i++, row.eligibilityState.literal());
        ps.setString(i++, row.blockingReason.literal());
        ps.setString(i++, row.terminalOutcome.literal());
        ps.setString(i++, row.attemptState.literal());
        ps.setString(i++, row.publicState.literal());
        ps.setString(i++, row.blockingDetail);
        ps.setLong(i++, row.eligibleAtMs);
        setLong(ps, i++, row.startedAtMs);
        setLong(ps, i++, row.terminalAtMs);
        ps.setLong(i++, row.updatedAtMs);
        setInt(ps, i++, row.currentAttemptIndex);
        ps.setString(i++, text(row.currentAttemptId));
        ps.setInt(i++, row.totalAttemptCount);
        ps.setInt(i++, row.retryCount);
        ps.setInt(i++, row.reclaimCount);
        ps.setInt(i++, row.replayCount);
        i = bindLease(ps, i, row);
        setInt(ps, i++, row.progressPct);
        ps.setString(i++, row.progressMessage);
        ps.setString(i++, row.lastErrorType);
        ps.setString(i++, row.lastErrorMessage);
        ps.setString(i++, row.cancellationReason);
        ps.setBytes(i++, row.result);
        return i;
    }

    private static int bindLease(PreparedStatement ps, int first, ExecutionRow row) throws SQLException {
        int i = first;
        ps.setString(i++, text(row.leaseId));
        ps.setLong(i++, row.leaseEpoch);
        setLong(ps, i++, row.leaseExpiresAtMs);
        setLong(ps, i++, row.leaseTtlMs);
        ps.setString(i++, row.leaseWorkerId);
        ps.setString(i++, row.leaseWorkerInstanceId);
        setLong(ps, i++, row.attemptDeadlineAtMs);
        return i;
    }

    /** Reads a row selected with {@link #EXECUTION_COLUMNS}. */
    static ExecutionRow execution(ResultSet rs) throws SQLException {
        ExecutionRow row = new ExecutionRow();
        row.partitionKey = rs.getInt("partition_key");
        row.executionId = UUID.fromString(rs.getString("execution_id"));
        row.namespace = rs.getString("namespace");
        row.laneId = rs.getString("lane_id");
        row.executionKind = rs.getString("execution_kind");
        row.priority = rs.getInt("priority");
        row.lifecyclePhase = LifecyclePhase.fromLiteral(rs.getString("lifecycle_phase"));
        row.ownershipState = OwnershipState.fromLiteral(rs.getString("ownership_state"));
        row.eligibilityState = EligibilityState.fromLiteral(rs.getString("eligibility_state"));
        row.blockingReason = BlockingReason.fromLiteral(rs.getString("blocking_reason"));
        row.terminalOutcome = TerminalOutcome.fromLiteral(rs.getString("terminal_outcome"));
        row.attemptState = AttemptState.fromLiteral(rs.getString("attempt_state"));
        row.publicState = PublicState.fromLiteral(rs.getString("public_state"));
        row.blockingDetail = rs.getString("blocking_detail");
        row.createdAtMs = rs.getLong("created_at_ms");
        row.eligibleAtMs = rs.getLong("eligible_at_ms");
        row.startedAtMs = getLong(rs, "started_at_ms");
        row.terminalAtMs = getLong(rs, "terminal_at_ms");
        row.deadlineAtMs = getLong(rs, "deadline_at_ms");
        row.updatedAtMs = rs.getLong("updated_at_ms");
        row.currentAttemptIndex = getInt(rs, "current_attempt_index");
        row.currentAttemptId = uuid(rs.getString("current_attempt_id"));
        row.totalAttemptCount = rs.getInt("total_attempt_count");
        row.retryCount = rs.getInt("retry_count");
        row.reclaimCount = rs.getInt("reclaim_count");
        row.replayCount = rs.getInt("replay_count");
        readLease(rs, row);
        row.progressPct = getInt(rs, "progress_pct");
        row.progressMessage = rs.getString("progress_message");
        row.lastErrorType = rs.getString("last_error_type");
        row.lastErrorMessage = rs.getString("last_error_message");
        row.cancellationReason = rs.getString("cancellation_reason");
        row.payload = bytes(rs, "payload");
        row.result = rs.getBytes("result");
        row.policyJson = rs.getString("policy_json");
        row.tagsJson = rs.getString("tags_json");
        row.requiredCapabilities = capabilities(rs.getString("required_capabilities"));
        row.idempotencyKey = rs.getString("idempotency_key");
        row.rowVersion = rs.getLong("row_version");
        return row;
    }

    private static void readLease(ResultSet rs, ExecutionRow row) throws SQLException {
        row.leaseId = uuid(rs.getString("lease_id"));
        row.leaseEpoch = rs.getLong("lease_epoch");
        row.leaseExpiresAtMs = getLong(rs, "lease_expires_at_ms");
        row.leaseTtlMs = getLong(rs, "lease_ttl_ms");
        row.leaseWorkerId = rs.getString("lease_worker_id");
        row.leaseWorkerInstanceId = rs.getString("lease_worker_instance_id");
        row.attemptDeadlineAtMs = getLong(rs, "attempt_deadline_at_ms");
    }

    /** Binds the 11 data columns from index 1, then partition_key, execution_id and attempt_index. */
    static int bindAttempt(PreparedStatement ps, AttemptRow row) throws SQLException {
        int i = 1;
        ps.setString(i++, row.attemptId.toString());
        ps.setString(i++, row.attemptType.literal());
        ps.setString(i++, row.attemptLifecycle.literal());
        ps.setString(i++, row.leaseId.toString());
        ps.setLong(i++, row.leaseEpoch);
        ps.setString(i++, row.workerId);
        ps.setString(i++, row.workerInstanceId);
        ps.setLong(i++, row.startedAtMs);
        setLong(ps, i++, row.endedAtMs);
        ps.setString(i++, row.errorType);
        ps.setString(i++, row.errorMessage);
        ps.setInt(i++, row.partitionKey);
        ps.setString(i++, row.executionId.toString());
        ps.setInt(i++, row.attemptIndex);
        return i;
    }

    /** Reads a row selected with {@link #ATTEMPT_COLUMNS}. */
    static AttemptRow attempt(ResultSet rs) throws SQLException {
        AttemptRow row = new AttemptRow();
        row.partitionKey = rs.getInt("partition_key");
        row.executionId = UUID.fromString(rs.getString("execution_id"));
        row.attemptIndex = rs.getInt("attempt_index");
        row.attemptId = UUID.fromString(rs.getString("attempt_id"));
        row.attemptType = AttemptType.fromLiteral(rs.getString("attempt_type"));
        row.attemptLifecycle = AttemptLifecycle.fromLiteral(rs.getString("attempt_lifecycle"));
        row.leaseId = UUID.fromString(rs.getString("lease_id"));
        row.leaseEpoch = rs.getLong("lease_epoch");
        row.workerId = rs.getString("worker_id");
        row.workerInstanceId = rs.getString("worker_instance_id");
        row.startedAtMs = rs.getLong("started_at_ms");
        row.endedAtMs = getLong(rs, "ended_at_ms");
        row.errorType = rs.getString("error_type");
        row.errorMessage = rs.getString("error_message");
        return row;
    }

    /** The JSON array text of a capability list ({@code []} for null). */
    static String capabilitiesJson(List<String> capabilities) {
        try {
            return JSON.writeValueAsString(capabilities == null ? List.of() : capabilities);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("capabilities are not serialisable: " + capabilities, e);
        }
    }

    private static List<String> capabilities(String json) {
        try {
            return List.copyOf(JSON.readValue(json, STRING_LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("required_capabilities is not a JSON string array: " + json, e);
        }
    }

    /** A NOT NULL blob: SQLite hands a zero-length blob back as null, which is read as empty here. */
    static byte[] bytes(ResultSet rs, String column) throws SQLException {
        byte[] value = rs.getBytes(column);
        return value == null ? new byte[0] : value;
    }

    static String text(UUID uuid) {
        return uuid == null ? null : uuid.toString();
    }

    static UUID uuid(String text) {
        return text == null ? null : UUID.fromString(text);
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    static Long getLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Integer getInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
