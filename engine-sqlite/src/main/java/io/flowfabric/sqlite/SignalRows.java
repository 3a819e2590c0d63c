package io.flowfabric.sqlite;

import static io.flowfabric.sqlite.Rows.bytes;
import static io.flowfabric.sqlite.Rows.getLong;
import static io.flowfabric.sqlite.Rows.setLong;
import static io.flowfabric.sqlite.Rows.text;
import static io.flowfabric.sqlite.Rows.uuid;

import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Maps {@link WaitpointRow}, {@link SuspensionRow}, {@link SignalRow} and {@link SigningKeyRow} to and from
 * the SQLite columns of V4: uuids as hyphenated text, JSON as text, {@code is_current} as 0/1.
 *
 * <p>As in {@link Rows}, the binders write the non-key columns first and the key columns last, so one binder
 * serves the INSERT and the {@code UPDATE ... SET ... WHERE key} statement of a table.
 */
final class SignalRows {

    /** Every column of ff_waitpoint except the key, in binding order. */
    static final String WAITPOINT_DATA_COLUMNS = """
            waitpoint_key, state, token_kid, token_fingerprint, created_at_ms, expires_at_ms,
            activated_at_ms, closed_at_ms, close_reason, suspension_id""";

    static final String WAITPOINT_KEY_COLUMNS = "partition_key, execution_id, waitpoint_id";

    static final String WAITPOINT_COLUMNS = WAITPOINT_KEY_COLUMNS + ",\n" + WAITPOINT_DATA_COLUMNS;

    /** Every column of ff_suspension except the key, in binding order. */
    static final String SUSPENSION_DATA_COLUMNS = """
            attempt_index, reason_code, condition_json, timeout_at_ms, timeout_behavior, resume_delay_ms,
            suspended_at_ms, idempotency_key, outcome_json, closed_at_ms, close_reason""";

    static final String SUSPENSION_KEY_COLUMNS = "partition_key, execution_id, suspension_id";

    static final String SUSPENSION_COLUMNS = SUSPENSION_KEY_COLUMNS + ",\n" + SUSPENSION_DATA_COLUMNS;

    /** Every column of ff_signal except the key, in binding order (signals are never updated). */
    static final String SIGNAL_DATA_COLUMNS = """
            waitpoint_id, waitpoint_key, signal_name, source_type, source_identity, idempotency_key, payload,
            delivered_at_ms, effect""";

    static final String SIGNAL_KEY_COLUMNS = "partition_key, execution_id, signal_id";

    static final String SIGNAL_COLUMNS = SIGNAL_KEY_COLUMNS + ",\n" + SIGNAL_DATA_COLUMNS;

    /** Every column of ff_waitpoint_hmac except the key, in binding order. */
    static final String SIGNING_KEY_DATA_COLUMNS = "secret, created_at_ms, is_current, valid_until_ms";

    static final String SIGNING_KEY_COLUMNS = "kid, " + SIGNING_KEY_DATA_COLUMNS;

    private SignalRows() {
    }

    /** Binds the 10 data columns from index 1, then partition_key, execution_id and waitpoint_id. */
    static int bindWaitpoint(PreparedStatement ps, WaitpointRow row) throws SQLException {
        int i = 1;
        ps.setString(i++, row.waitpointKey);
        ps.setString(i++, row.state);
        ps.setString(i++, row.tokenKid);
        ps.setString(i++, row.tokenFingerprint);
        ps.setLong(i++, row.createdAtMs);
        setLong(ps, i++, row.expiresAtMs);
        setLong(ps, i++, row.activatedAtMs);
        setLong(ps, i++, row.closedAtMs);
        ps.setString(i++, row.closeReason);
        ps.setString(i++, text(row.suspensionId));
        return bindKey(ps, i, row.partitionKey, row.executionId, row.waitpointId);
    }

    /** Reads a row selected with {@link #WAITPOINT_COLUMNS}. */
    static WaitpointRow waitpoint(ResultSet rs) throws SQLException {
        WaitpointRow row = new WaitpointRow();
        row.partitionKey = rs.getInt("partition_key");
        row.executionId = UUID.fromString(rs.getString("execution_id"));
        row.waitpointId = UUID.fromString(rs.getString("waitpoint_id"));
        row.waitpointKey = rs.getString("waitpoint_key");
        row.state = rs.getString("state");
        row.tokenKid = rs.getString("token_kid");
        row.tokenFingerprint = rs.getString("token_fingerprint");
        row.createdAtMs = rs.getLong("created_at_ms");
        row.expiresAtMs = getLong(rs, "expires_at_ms");
        row.activatedAtMs = getLong(rs, "activated_at_ms");
        row.closedAtMs = getLong(rs, "closed_at_ms");
        row.closeReason = rs.getString("close_reason");
        row.suspensionId = uuid(rs.getString("suspension_id"));
        return row;
    }

    /** Binds the 11 data columns from index 1, then partition_key, execution_id and suspension_id. */
    static int bindSuspension(PreparedStatement ps, SuspensionRow row) throws SQLException {
        int i = 1;
        ps.setInt(i++, row.attemptIndex);
        ps.setString(i++, row.reasonCode);
        ps.setString(i++, row.conditionJson);
        setLong(ps, i++, row.timeoutAtMs);
        ps.setString(i++, row.timeoutBehavior);
        ps.setLong(i++, row.resumeDelayMs);
        ps.setLong(i++, row.suspendedAtMs);
        ps.setString(i++, row.idempotencyKey);
        ps.setString(i++, row.outcomeJson);
        setLong(ps, i++, row.closedAtMs);
        ps.setString(i++, row.closeReason);
        return bindKey(ps, i, row.partitionKey, row.executionId, row.suspensionId);
    }

    /** Reads a row selected with {@link #SUSPENSION_COLUMNS}. */
    static SuspensionRow suspension(ResultSet rs) throws SQLException {
        SuspensionRow row = new SuspensionRow();
        row.partitionKey = rs.getInt("partition_key");
        row.executionId = UUID.fromString(rs.getString("execution_id"));
        row.suspensionId = UUID.fromString(rs.getString("suspension_id"));
        row.attemptIndex = rs.getInt("attempt_index");
        row.reasonCode = rs.getString("reason_code");
        row.conditionJson = rs.getString("condition_json");
        row.timeoutAtMs = getLong(rs, "timeout_at_ms");
        row.timeoutBehavior = rs.getString("timeout_behavior");
        row.resumeDelayMs = rs.getLong("resume_delay_ms");
        row.suspendedAtMs = rs.getLong("suspended_at_ms");
        row.idempotencyKey = rs.getString("idempotency_key");
        row.outcomeJson = rs.getString("outcome_json");
        row.closedAtMs = getLong(rs, "closed_at_ms");
        row.closeReason = rs.getString("close_reason");
        return row;
    }

    /** Binds the 9 data columns from index 1, then partition_key, execution_id and signal_id. */
    static int bindSignal(PreparedStatement ps, SignalRow row) throws SQLException {
        int i = 1;
        ps.setString(i++, row.waitpointId.toString());
        ps.setString(i++, row.waitpointKey);
        ps.setString(i++, row.signalName);
        ps.setString(i++, row.sourceType);
        ps.setString(i++, row.sourceIdentity);
        ps.setString(i++, row.idempotencyKey);
        ps.setBytes(i++, row.payload);
        ps.setLong(i++, row.deliveredAtMs);
        ps.setString(i++, row.effect);
        return bindKey(ps, i, row.partitionKey, row.executionId, row.signalId);
    }

    /** Reads a row selected with {@link #SIGNAL_COLUMNS}; a zero-length payload reads back as empty. */
    static SignalRow signal(ResultSet rs) throws SQLException {
        SignalRow row = new SignalRow();
        row.partitionKey = rs.getInt("partition_key");
        row.executionId = UUID.fromString(rs.getString("execution_id"));
        row.signalId = UUID.fromString(rs.getString("signal_id"));
        row.waitpointId = UUID.fromString(rs.getString("waitpoint_id"));
        row.waitpointKey = rs.getString("waitpoint_key");
        row.signalName = rs.getString("signal_name");
        row.sourceType = rs.getString("source_type");
        row.sourceIdentity = rs.getString("source_identity");
        row.idempotencyKey = rs.getString("idempotency_key");
        row.payload = bytes(rs, "payload");
        row.deliveredAtMs = rs.getLong("delivered_at_ms");
        row.effect = rs.getString("effect");
        return row;
    }

    /**
     * Binds the 4 data columns from index 1, then kid. A current key is stored without {@code valid_until_ms}
     * (it verifies until superseded), whatever the row says.
     */
    static int bindSigningKey(PreparedStatement ps, SigningKeyRow row) throws SQLException {
        int i = 1;
        ps.setBytes(i++, row.secret);
        ps.setLong(i++, row.createdAtMs);
        ps.setInt(i++, row.current ? 1 : 0);
        setLong(ps, i++, row.current ? null : row.validUntilMs);
        ps.setString(i++, row.kid);
        return i;
    }

    /** Reads a row selected with {@link #SIGNING_KEY_COLUMNS}. */
    static SigningKeyRow signingKey(ResultSet rs) throws SQLException {
        SigningKeyRow row = new SigningKeyRow();
        row.kid = rs.getString("kid");
        row.secret = bytes(rs, "secret");
        row.createdAtMs = rs.getLong("created_at_ms");
        row.current = rs.getInt("is_current") != 0;
        row.validUntilMs = getLong(rs, "valid_until_ms");
        return row;
    }

    private static int bindKey(PreparedStatement ps, int first, int partitionKey, UUID executionId, UUID rowId)
            throws SQLException {
        int i = first;
        ps.setInt(i++, partitionKey);
        ps.setString(i++, executionId.toString());
        ps.setString(i++, rowId.toString());
        return i;
    }
}
