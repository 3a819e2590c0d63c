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
import io.flowfabric.api.state.StateVector;
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

    /**
     * Reads a row selected with {@link #EXECUTION_COLUMNS}, by position: the key, the fixed columns, the
     * mutable ones in binding order, then {@code row_version}. Reading by label would look up each of the
     * 45 names in the result's column list for every row.
     */
    static ExecutionRow execution(ResultSet rs) throws SQLException {
        ExecutionRow row = new ExecutionRow();
        int c = 1;
        row.partitionKey = rs.getInt(c++);
        row.executionId = UUID.fromString(rs.getString(c++));
        row.namespace = rs.getString(c++);
        row.laneId = rs.getString(c++);
        row.executionKind = rs.getString(c++);
        row.createdAtMs = rs.getLong(c++);
        row.deadlineAtMs = getLong(rs, c++);
        row.payload = bytes(rs, c++);
        row.policyJson = rs.getString(c++);
        row.tagsJson = rs.getString(c++);
        row.requiredCapabilities = capabilities(rs.getString(c++));
        row.idempotencyKey = rs.getString(c++);
        c = readMutable(rs, c, row);
        row.rowVersion = rs.getLong(c);
        return row;
    }

    /** Reads {@link #EXECUTION_MUTABLE_COLUMNS} from column {@code first}; returns the next column. */
    private static int readMutable(ResultSet rs, int first, ExecutionRow row) throws SQLException {
        int c = first;
        row.priority = rs.getInt(c++);
        row.lifecyclePhase = LifecyclePhase.fromLiteral(rs.getString(c++));
        row.ownershipState = OwnershipState.fromLiteral(rs.getString(c++));
        row.eligibilityState = EligibilityState.fromLiteral(rs.getString(c++));
        row.blockingReason = BlockingReason.fromLiteral(rs.getString(c++));
        row.terminalOutcome = TerminalOutcome.fromLiteral(rs.getString(c++));
        row.attemptState = AttemptState.fromLiteral(rs.getString(c++));
        row.publicState = PublicState.fromLiteral(rs.getString(c++));
        row.blockingDetail = rs.getString(c++);
        row.eligibleAtMs = rs.getLong(c++);
        row.startedAtMs = getLong(rs, c++);
        row.terminalAtMs = getLong(rs, c++);
        row.updatedAtMs = rs.getLong(c++);
        row.currentAttemptIndex = getInt(rs, c++);
        row.currentAttemptId = uuid(rs.getString(c++));
        row.totalAttemptCount = rs.getInt(c++);
        row.retryCount = rs.getInt(c++);
        row.reclaimCount = rs.getInt(c++);
        row.replayCount = rs.getInt(c++);
        row.leaseId = uuid(rs.getString(c++));
        row.leaseEpoch = rs.getLong(c++);
        row.leaseExpiresAtMs = getLong(rs, c++);
        row.leaseTtlMs = getLong(rs, c++);
        row.leaseWorkerId = rs.getString(c++);
        row.leaseWorkerInstanceId = rs.getString(c++);
        row.attemptDeadlineAtMs = getLong(rs, c++);
        row.progressPct = getInt(rs, c++);
        row.progressMessage = rs.getString(c++);
        row.lastErrorType = rs.getString(c++);
        row.lastErrorMessage = rs.getString(c++);
        row.cancellationReason = rs.getString(c++);
        row.result = rs.getBytes(c++);
        return c;
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

    /**
     * The assignments of the seven state columns of {@code state} as SQL literals, for a statement built once
     * per target state: {@code lifecycle_phase = 'active', ownership_state = 'leased', ...} (lifecycle phase,
     * ownership, eligibility, blocking reason, terminal outcome, attempt state, public state). sqlite-jdbc
     * binds every parameter again at every execution, each a JNI call and a UTF-8 copy, so constants the
     * statement always writes cost less as text.
     */
    static String stateAssignments(StateVector state) {
        return "lifecycle_phase = " + literal(state.lifecyclePhase().literal())
                + ", ownership_state = " + literal(state.ownershipState().literal())
                + ", eligibility_state = " + literal(state.eligibilityState().literal())
                + ", blocking_reason = " + literal(state.blockingReason().literal())
                + ", terminal_outcome = " + literal(state.terminalOutcome().literal())
                + ", attempt_state = " + literal(state.attemptState().literal())
                + ", public_state = " + literal(state.publicState().literal());
    }

    /** {@code text} as an SQL string literal, quotes doubled. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Reads a row selected with {@link #ATTEMPT_COLUMNS}, by position. */
    static AttemptRow attempt(ResultSet rs) throws SQLException {
        AttemptRow row = new AttemptRow();
        int c = 1;
        row.partitionKey = rs.getInt(c++);
        row.executionId = UUID.fromString(rs.getString(c++));
        row.attemptIndex = rs.getInt(c++);
        row.attemptId = UUID.fromString(rs.getString(c++));
        row.attemptType = AttemptType.fromLiteral(rs.getString(c++));
        row.attemptLifecycle = AttemptLifecycle.fromLiteral(rs.getString(c++));
        row.leaseId = UUID.fromString(rs.getString(c++));
        row.leaseEpoch = rs.getLong(c++);
        row.workerId = rs.getString(c++);
        row.workerInstanceId = rs.getString(c++);
        row.startedAtMs = rs.getLong(c++);
        row.endedAtMs = getLong(rs, c++);
        row.errorType = rs.getString(c++);
        row.errorMessage = rs.getString(c);
        return row;
    }

    /** The JSON array text of a capability list ({@code []} for null). */
    static String capabilitiesJson(List<String> capabilities) {
        if (capabilities == null || capabilities.isEmpty()) {
            // The literal the claim's capability test compares with; Jackson writes the same.
            return "[]";
        }
        try {
            return JSON.writeValueAsString(capabilities);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("capabilities are not serialisable: " + capabilities, e);
        }
    }

    private static List<String> capabilities(String json) {
        if ("[]".equals(json)) {
            return List.of();
        }
        try {
            return List.copyOf(JSON.readValue(json, STRING_LIST));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("required_capabilities is not a JSON string array: " + json, e);
        }
    }

    /** A NOT NULL blob: SQLite hands a zero-length blob back as null, which is read as empty here. */
    static byte[] bytes(ResultSet rs, String column) throws SQLException {
        return bytes(rs, rs.findColumn(column));
    }

    /** As {@link #bytes(ResultSet, String)}, by position. */
    static byte[] bytes(ResultSet rs, int column) throws SQLException {
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
        return getLong(rs, rs.findColumn(column));
    }

    static Long getLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static Integer getInt(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
