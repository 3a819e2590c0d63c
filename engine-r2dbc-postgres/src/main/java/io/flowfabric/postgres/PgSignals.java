package io.flowfabric.postgres;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointQuery;
import io.flowfabric.internal.WaitpointRow;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The statements over waitpoints, suspensions, signals and signing keys ({@code V4__waitpoints_signals.sql}),
 * on one session. {@link PgReads} exposes the reads and {@link PgTx} the reads and the writes. Per
 * execution every look-up starts from the primary key prefix {@code (partition_key, execution_id)}.
 */
final class PgSignals {

    static final String SELECT_WAITPOINTS = "SELECT " + PgSignalRows.WAITPOINT_COLUMNS + """
            FROM ff_waitpoint
            WHERE partition_key = $1 AND execution_id = $2
            ORDER BY created_at_ms, waitpoint_id
            """;

    /**
     * The first page of the execution's open waitpoints, {@code $3} rows. The predicate of
     * ff_waitpoint_open_list_idx is repeated literally, so the page is read from that index in order.
     */
    static final String LIST_OPEN_WAITPOINTS = "SELECT " + PgSignalRows.WAITPOINT_COLUMNS + """
            FROM ff_waitpoint
            WHERE partition_key = $1 AND execution_id = $2 AND state <> 'closed'
            ORDER BY created_at_ms, waitpoint_id
            LIMIT $3
            """;

    /**
     * A later page, strictly after the keyset position {@code ($4, $5)}; a separate statement so the row
     * comparison becomes the start of a range scan of ff_waitpoint_open_list_idx.
     */
    static final String LIST_OPEN_WAITPOINTS_AFTER = "SELECT " + PgSignalRows.WAITPOINT_COLUMNS + """
            FROM ff_waitpoint
            WHERE partition_key = $1 AND execution_id = $2 AND state <> 'closed'
              AND (created_at_ms, waitpoint_id) > ($4, $5)
            ORDER BY created_at_ms, waitpoint_id
            LIMIT $3
            """;

    /*
     * The open suspension. The engine keeps at most one per execution; should there ever be more, the
     * newest is returned, deterministically.
     */
    static final String SELECT_OPEN_SUSPENSION = "SELECT " + PgSignalRows.SUSPENSION_COLUMNS + """
            FROM ff_suspension
            WHERE partition_key = $1 AND execution_id = $2 AND closed_at_ms IS NULL
            ORDER BY suspended_at_ms DESC, suspension_id DESC
            LIMIT 1
            """;

    /** By {@code $3}; ff_suspension_idempotency_idx makes the key unique per execution. */
    static final String SELECT_SUSPENSION_BY_KEY = "SELECT " + PgSignalRows.SUSPENSION_COLUMNS + """
            FROM ff_suspension
            WHERE partition_key = $1 AND execution_id = $2 AND idempotency_key = $3
            """;

    static final String SELECT_SIGNALS = "SELECT " + PgSignalRows.SIGNAL_COLUMNS + """
            FROM ff_signal
            WHERE partition_key = $1 AND execution_id = $2
            ORDER BY delivered_at_ms, signal_id
            """;

    /** By {@code $3}; ff_signal_idempotency_idx makes the key unique per execution. */
    static final String SELECT_SIGNAL_BY_KEY = "SELECT " + PgSignalRows.SIGNAL_COLUMNS + """
            FROM ff_signal
            WHERE partition_key = $1 AND execution_id = $2 AND idempotency_key = $3
            """;

    static final String COUNT_SIGNALS = """
            SELECT count(*) AS signals
            FROM ff_signal
            WHERE partition_key = $1 AND execution_id = $2
            """;

    static final String SELECT_SIGNING_KEY = "SELECT " + PgSignalRows.SIGNING_KEY_COLUMNS + """
            FROM ff_waitpoint_hmac
            WHERE kid = $1
            """;

    /* Exactly one key is current (upsertSigningKey serialises rotations); newest first should that break. */
    static final String SELECT_CURRENT_SIGNING_KEY = "SELECT " + PgSignalRows.SIGNING_KEY_COLUMNS + """
            FROM ff_waitpoint_hmac
            WHERE is_current
            ORDER BY created_at_ms DESC, kid
            LIMIT 1
            """;

    static final String INSERT_WAITPOINT = "INSERT INTO ff_waitpoint (" + PgSignalRows.WAITPOINT_COLUMNS + """
            ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
            """;

    /** Binds {@code $1..$13} as {@link PgSignalRows#bindWaitpoint}: the key is $1, $2, $3. */
    static final String UPDATE_WAITPOINT = """
            UPDATE ff_waitpoint SET
                waitpoint_key = $4, state = $5, token_kid = $6, token_fingerprint = $7, created_at_ms = $8,
                expires_at_ms = $9, activated_at_ms = $10, closed_at_ms = $11, close_reason = $12,
                suspension_id = $13
            WHERE partition_key = $1 AND execution_id = $2 AND waitpoint_id = $3
            """;

    static final String INSERT_SUSPENSION = "INSERT INTO ff_suspension (" + PgSignalRows.SUSPENSION_COLUMNS + """
            ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            """;

    /** Binds {@code $1..$14} as {@link PgSignalRows#bindSuspension}: the key is $1, $2, $3. */
    static final String UPDATE_SUSPENSION = """
            UPDATE ff_suspension SET
                attempt_index = $4, reason_code = $5, condition_json = $6, timeout_at_ms = $7,
                timeout_behavior = $8, resume_delay_ms = $9, suspended_at_ms = $10, idempotency_key = $11,
                outcome_json = $12, closed_at_ms = $13, close_reason = $14
            WHERE partition_key = $1 AND execution_id = $2 AND suspension_id = $3
            """;

    static final String INSERT_SIGNAL = "INSERT INTO ff_signal (" + PgSignalRows.SIGNAL_COLUMNS + """
            ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """;

    /*
     * Serialises the rotations of signing keys: without it two concurrent rotations would each supersede
     * only the key current in their own snapshot and both leave their new key current. The mode conflicts
     * with itself and with writes of the table, not with reads, so token verification never waits.
     */
    static final String LOCK_SIGNING_KEYS = "LOCK TABLE ff_waitpoint_hmac IN SHARE ROW EXCLUSIVE MODE";

    /** Binds {@code $1} kid and {@code $2} supersededUntilMs: every other current key stops being current. */
    static final String SUPERSEDE_SIGNING_KEYS = """
            UPDATE ff_waitpoint_hmac
            SET is_current = false, valid_until_ms = coalesce(valid_until_ms, $2)
            WHERE is_current AND kid <> $1
            """;

    /** Binds {@code $1..$5} as {@link PgSignalRows#bindSigningKey}; a known kid keeps its created_at_ms. */
    static final String UPSERT_SIGNING_KEY = "INSERT INTO ff_waitpoint_hmac (" + PgSignalRows.SIGNING_KEY_COLUMNS
            + """
            ) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (kid) DO UPDATE
                SET secret = EXCLUDED.secret,
                    is_current = EXCLUDED.is_current,
                    valid_until_ms = EXCLUDED.valid_until_ms
            """;

    private final PgSession session;

    PgSignals(PgSession session) {
        this.session = session;
    }

    Flux<WaitpointRow> findWaitpoints(ExecutionId id) {
        return session.query(SELECT_WAITPOINTS, s -> PgReads.bindId(s, id), PgSignalRows::waitpoint);
    }

    Flux<WaitpointRow> listOpenWaitpoints(WaitpointQuery query) {
        if (query.afterCreatedAtMs() == null) {
            return session.query(LIST_OPEN_WAITPOINTS, s -> PgReads.bindId(s, query.executionId())
                    .bind(2, query.limit()), PgSignalRows::waitpoint);
        }
        return session.query(LIST_OPEN_WAITPOINTS_AFTER, s -> PgReads.bindId(s, query.executionId())
                .bind(2, query.limit()).bind(3, query.afterCreatedAtMs()).bind(4, query.afterWaitpointId()),
                PgSignalRows::waitpoint);
    }

    Mono<SuspensionRow> findOpenSuspension(ExecutionId id) {
        return session.query(SELECT_OPEN_SUSPENSION, s -> PgReads.bindId(s, id), PgSignalRows::suspension).next();
    }

    Mono<SuspensionRow> findSuspensionByKey(ExecutionId id, String idempotencyKey) {
        return session.query(SELECT_SUSPENSION_BY_KEY, s -> PgReads.bindId(s, id).bind(2, idempotencyKey),
                PgSignalRows::suspension).next();
    }

    Flux<SignalRow> findSignals(ExecutionId id) {
        return session.query(SELECT_SIGNALS, s -> PgReads.bindId(s, id), PgSignalRows::signal);
    }

    Mono<SignalRow> findSignalByKey(ExecutionId id, String idempotencyKey) {
        return session.query(SELECT_SIGNAL_BY_KEY, s -> PgReads.bindId(s, id).bind(2, idempotencyKey),
                PgSignalRows::signal).next();
    }

    Mono<Long> countSignals(ExecutionId id) {
        return session.query(COUNT_SIGNALS, s -> PgReads.bindId(s, id), r -> r.get("signals", Long.class)).next();
    }

    Mono<SigningKeyRow> findSigningKey(String kid) {
        return session.query(SELECT_SIGNING_KEY, s -> s.bind(0, kid), PgSignalRows::signingKey).next();
    }

    Mono<SigningKeyRow> findCurrentSigningKey() {
        return session.query(SELECT_CURRENT_SIGNING_KEY, s -> { }, PgSignalRows::signingKey).next();
    }

    Mono<Void> insertWaitpoint(WaitpointRow row) {
        return session.update(INSERT_WAITPOINT, s -> PgSignalRows.bindWaitpoint(s, row)).then();
    }

    Mono<Void> updateWaitpoint(WaitpointRow row) {
        return session.update(UPDATE_WAITPOINT, s -> PgSignalRows.bindWaitpoint(s, row))
                .flatMap(count -> PgTx.expectOne(count, "waitpoint " + row.waitpointId + " of execution "
                        + row.partitionKey + "/" + row.executionId));
    }

    Mono<Void> insertSuspension(SuspensionRow row) {
        return session.update(INSERT_SUSPENSION, s -> PgSignalRows.bindSuspension(s, row)).then();
    }

    Mono<Void> updateSuspension(SuspensionRow row) {
        return session.update(UPDATE_SUSPENSION, s -> PgSignalRows.bindSuspension(s, row))
                .flatMap(count -> PgTx.expectOne(count, "suspension " + row.suspensionId + " of execution "
                        + row.partitionKey + "/" + row.executionId));
    }

    Mono<Void> insertSignal(SignalRow row) {
        return session.update(INSERT_SIGNAL, s -> PgSignalRows.bindSignal(s, row)).then();
    }

    /*
     * A key that becomes current: lock out concurrent rotations, supersede the other current keys (their
     * grace ends at supersededUntilMs unless they already had an end), then write the key. A key that is not
     * current is only written.
     */
    /** Self-conflicting table lock: one signing-key change at a time, held to the end of the transaction. */
    Mono<Void> lockSigningKeys() {
        return session.update(LOCK_SIGNING_KEYS, s -> { }).then();
    }

    Mono<Void> upsertSigningKey(SigningKeyRow row, long supersededUntilMs) {
        Mono<Void> upsert = session.update(UPSERT_SIGNING_KEY, s -> PgSignalRows.bindSigningKey(s, row)).then();
        if (!row.current) {
            return upsert;
        }
        return session.update(LOCK_SIGNING_KEYS, s -> { })
                .then(session.update(SUPERSEDE_SIGNING_KEYS, s -> s.bind(0, row.kid).bind(1, supersededUntilMs)))
                .then(upsert);
    }
}
