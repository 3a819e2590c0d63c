package io.flowfabric.postgres;

import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointRow;
import io.flowfabric.postgres.PgRows.Params;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import java.util.UUID;

/**
 * Converts the rows of {@code V4__waitpoints_signals.sql} ({@link WaitpointRow}, {@link SuspensionRow},
 * {@link SignalRow}, {@link SigningKeyRow}) to and from columns. As in {@link PgRows}, each column list fixes
 * the bind order of its {@code bind} method, and the statements in {@link PgSignals} rely on those
 * positions. {@code jsonb} columns are bound as {@link Json} and read as text; {@code bytea} as
 * {@code byte[]}.
 */
final class PgSignalRows {

    /** Every column of {@code ff_waitpoint}, in bind order ($1 = partition_key ... $13 = suspension_id). */
    static final String WAITPOINT_COLUMNS = """
            partition_key, execution_id, waitpoint_id, waitpoint_key, state, token_kid, token_fingerprint,
            created_at_ms, expires_at_ms, activated_at_ms, closed_at_ms, close_reason, suspension_id
            """;

    /** Every column of {@code ff_suspension}, in bind order ($1 = partition_key ... $14 = close_reason). */
    static final String SUSPENSION_COLUMNS = """
            partition_key, execution_id, suspension_id, attempt_index, reason_code, condition_json,
            timeout_at_ms, timeout_behavior, resume_delay_ms, suspended_at_ms, idempotency_key, outcome_json,
            closed_at_ms, close_reason
            """;

    /** Every column of {@code ff_signal}, in bind order ($1 = partition_key ... $12 = effect). */
    static final String SIGNAL_COLUMNS = """
            partition_key, execution_id, signal_id, waitpoint_id, waitpoint_key, signal_name, source_type,
            source_identity, idempotency_key, payload, delivered_at_ms, effect
            """;

    /** Every column of {@code ff_waitpoint_hmac}, in bind order ($1 = kid ... $5 = valid_until_ms). */
    static final String SIGNING_KEY_COLUMNS = """
            kid, secret, created_at_ms, is_current, valid_until_ms
            """;

    private PgSignalRows() {
    }

    /** Binds every waitpoint column to {@code $1..$13}. */
    static Statement bindWaitpoint(Statement statement, WaitpointRow row) {
        new Params(statement).add((short) row.partitionKey).add(row.executionId).add(row.waitpointId)
                .add(row.waitpointKey).add(row.state).add(row.tokenKid).add(row.tokenFingerprint)
                .add(row.createdAtMs).add(row.expiresAtMs, Long.class).add(row.activatedAtMs, Long.class)
                .add(row.closedAtMs, Long.class).add(row.closeReason, String.class)
                .add(row.suspensionId, UUID.class);
        return statement;
    }

    /** Reads a row selected with {@link #WAITPOINT_COLUMNS}. */
    static WaitpointRow waitpoint(Readable r) {
        WaitpointRow row = new WaitpointRow();
        row.partitionKey = r.get("partition_key", Integer.class);
        row.executionId = r.get("execution_id", UUID.class);
        row.waitpointId = r.get("waitpoint_id", UUID.class);
        row.waitpointKey = r.get("waitpoint_key", String.class);
        row.state = r.get("state", String.class);
        row.tokenKid = r.get("token_kid", String.class);
        row.tokenFingerprint = r.get("token_fingerprint", String.class);
        row.createdAtMs = r.get("created_at_ms", Long.class);
        row.expiresAtMs = r.get("expires_at_ms", Long.class);
        row.activatedAtMs = r.get("activated_at_ms", Long.class);
        row.closedAtMs = r.get("closed_at_ms", Long.class);
        row.closeReason = r.get("close_reason", String.class);
        row.suspensionId = r.get("suspension_id", UUID.class);
        return row;
    }

    /** Binds every suspension column to {@code $1..$14}. */
    static Statement bindSuspension(Statement statement, SuspensionRow row) {
        new Params(statement).add((short) row.partitionKey).add(row.executionId).add(row.suspensionId)
                .add(row.attemptIndex).add(row.reasonCode).add(json(row.conditionJson))
                .add(row.timeoutAtMs, Long.class).add(row.timeoutBehavior).add(row.resumeDelayMs)
                .add(row.suspendedAtMs).add(row.idempotencyKey, String.class).add(json(row.outcomeJson))
                .add(row.closedAtMs, Long.class).add(row.closeReason, String.class);
        return statement;
    }

    /** Reads a row selected with {@link #SUSPENSION_COLUMNS}. */
    static SuspensionRow suspension(Readable r) {
        SuspensionRow row = new SuspensionRow();
        row.partitionKey = r.get("partition_key", Integer.class);
        row.executionId = r.get("execution_id", UUID.class);
        row.suspensionId = r.get("suspension_id", UUID.class);
        row.attemptIndex = r.get("attempt_index", Integer.class);
        row.reasonCode = r.get("reason_code", String.class);
        row.conditionJson = r.get("condition_json", String.class);
        row.timeoutAtMs = r.get("timeout_at_ms", Long.class);
        row.timeoutBehavior = r.get("timeout_behavior", String.class);
        row.resumeDelayMs = r.get("resume_delay_ms", Long.class);
        row.suspendedAtMs = r.get("suspended_at_ms", Long.class);
        row.idempotencyKey = r.get("idempotency_key", String.class);
        row.outcomeJson = r.get("outcome_json", String.class);
        row.closedAtMs = r.get("closed_at_ms", Long.class);
        row.closeReason = r.get("close_reason", String.class);
        return row;
    }

    /** Binds every signal column to {@code $1..$12}. */
    static Statement bindSignal(Statement statement, SignalRow row) {
        new Params(statement).add((short) row.partitionKey).add(row.executionId).add(row.signalId)
                .add(row.waitpointId).add(row.waitpointKey).add(row.signalName).add(row.sourceType)
                .add(row.sourceIdentity).add(row.idempotencyKey, String.class).add(row.payload)
                .add(row.deliveredAtMs).add(row.effect);
        return statement;
    }

    /** Reads a row selected with {@link #SIGNAL_COLUMNS}. */
    static SignalRow signal(Readable r) {
        SignalRow row = new SignalRow();
        row.partitionKey = r.get("partition_key", Integer.class);
        row.executionId = r.get("execution_id", UUID.class);
        row.signalId = r.get("signal_id", UUID.class);
        row.waitpointId = r.get("waitpoint_id", UUID.class);
        row.waitpointKey = r.get("waitpoint_key", String.class);
        row.signalName = r.get("signal_name", String.class);
        row.sourceType = r.get("source_type", String.class);
        row.sourceIdentity = r.get("source_identity", String.class);
        row.idempotencyKey = r.get("idempotency_key", String.class);
        row.payload = r.get("payload", byte[].class);
        row.deliveredAtMs = r.get("delivered_at_ms", Long.class);
        row.effect = r.get("effect", String.class);
        return row;
    }

    /**
     * Binds every signing key column to {@code $1..$5}. A current key has no end of validity, so
     * {@code valid_until_ms} is bound as null for it whatever the row says.
     */
    static Statement bindSigningKey(Statement statement, SigningKeyRow row) {
        new Params(statement).add(row.kid).add(row.secret).add(row.createdAtMs).add(row.current)
                .add(row.current ? null : row.validUntilMs, Long.class);
        return statement;
    }

    /** Reads a row selected with {@link #SIGNING_KEY_COLUMNS}. */
    static SigningKeyRow signingKey(Readable r) {
        SigningKeyRow row = new SigningKeyRow();
        row.kid = r.get("kid", String.class);
        row.secret = r.get("secret", byte[].class);
        row.createdAtMs = r.get("created_at_ms", Long.class);
        row.current = r.get("is_current", Boolean.class);
        row.validUntilMs = r.get("valid_until_ms", Long.class);
        return row;
    }

    private static Json json(String text) {
        return text == null ? null : Json.of(text);
    }
}
