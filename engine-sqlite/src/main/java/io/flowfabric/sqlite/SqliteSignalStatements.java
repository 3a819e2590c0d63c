package io.flowfabric.sqlite;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointQuery;
import io.flowfabric.internal.WaitpointRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The statements over waitpoints, suspensions, signals and signing keys (V4), on the connection and thread
 * of one {@link Scope}. {@link SqliteReads} delegates the reads here and {@link SqliteTx} the reads and
 * writes. Every lookup by execution runs on the primary key prefix {@code (partition_key, execution_id)}.
 */
final class SqliteSignalStatements {

    static final String INSERT_WAITPOINT = "INSERT INTO ff_waitpoint (" + SignalRows.WAITPOINT_DATA_COLUMNS
            + ",\n" + SignalRows.WAITPOINT_KEY_COLUMNS + ")\nVALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String UPDATE_WAITPOINT = """
            UPDATE ff_waitpoint SET
                waitpoint_key = ?, state = ?, token_kid = ?, token_fingerprint = ?, created_at_ms = ?,
                expires_at_ms = ?, activated_at_ms = ?, closed_at_ms = ?, close_reason = ?, suspension_id = ?
            WHERE partition_key = ? AND execution_id = ? AND waitpoint_id = ?""";

    static final String SELECT_WAITPOINTS = "SELECT " + SignalRows.WAITPOINT_COLUMNS + """

            FROM ff_waitpoint
            WHERE partition_key = ? AND execution_id = ?
            ORDER BY created_at_ms, waitpoint_id""";

    /**
     * The first page of the execution's open waitpoints, {@code ?3} rows. The predicate of
     * ff_waitpoint_open_list_idx is repeated literally, so SQLite reads the page from that index in order.
     */
    static final String LIST_OPEN_WAITPOINTS = "SELECT " + SignalRows.WAITPOINT_COLUMNS + """

            FROM ff_waitpoint
            WHERE partition_key = ?1 AND execution_id = ?2 AND state <> 'closed'
            ORDER BY created_at_ms, waitpoint_id
            LIMIT ?3""";

    /** A later page, strictly after the keyset position {@code (?4, ?5)}: a range of the same index. */
    static final String LIST_OPEN_WAITPOINTS_AFTER = "SELECT " + SignalRows.WAITPOINT_COLUMNS + """

            FROM ff_waitpoint
            WHERE partition_key = ?1 AND execution_id = ?2 AND state <> 'closed'
              AND (created_at_ms, waitpoint_id) > (?4, ?5)
            ORDER BY created_at_ms, waitpoint_id
            LIMIT ?3""";

    static final String INSERT_SUSPENSION = "INSERT INTO ff_suspension (" + SignalRows.SUSPENSION_DATA_COLUMNS
            + ",\n" + SignalRows.SUSPENSION_KEY_COLUMNS + ")\nVALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String UPDATE_SUSPENSION = """
            UPDATE ff_suspension SET
                attempt_index = ?, reason_code = ?, condition_json = ?, timeout_at_ms = ?, timeout_behavior = ?,
                resume_delay_ms = ?, suspended_at_ms = ?, idempotency_key = ?, outcome_json = ?,
                closed_at_ms = ?, close_reason = ?
            WHERE partition_key = ? AND execution_id = ? AND suspension_id = ?""";

    /** The open suspension; should there ever be two, the latest. */
    static final String SELECT_OPEN_SUSPENSION = "SELECT " + SignalRows.SUSPENSION_COLUMNS + """

            FROM ff_suspension
            WHERE partition_key = ? AND execution_id = ? AND closed_at_ms IS NULL
            ORDER BY suspended_at_ms DESC, suspension_id DESC
            LIMIT 1""";

    static final String SELECT_SUSPENSION_BY_KEY = "SELECT " + SignalRows.SUSPENSION_COLUMNS + """

            FROM ff_suspension
            WHERE partition_key = ? AND execution_id = ? AND idempotency_key = ?""";

    static final String INSERT_SIGNAL = "INSERT INTO ff_signal (" + SignalRows.SIGNAL_DATA_COLUMNS
            + ",\n" + SignalRows.SIGNAL_KEY_COLUMNS + ")\nVALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String SELECT_SIGNALS = "SELECT " + SignalRows.SIGNAL_COLUMNS + """

            FROM ff_signal
            WHERE partition_key = ? AND execution_id = ?
            ORDER BY delivered_at_ms, signal_id""";

    static final String SELECT_SIGNAL_BY_KEY = "SELECT " + SignalRows.SIGNAL_COLUMNS + """

            FROM ff_signal
            WHERE partition_key = ? AND execution_id = ? AND idempotency_key = ?""";

    static final String COUNT_SIGNALS = """
            SELECT count(*) FROM ff_signal WHERE partition_key = ? AND execution_id = ?""";

    /** Retires every other current key: it keeps verifying until {@code ?1} unless it already had an end. */
    static final String SUPERSEDE_SIGNING_KEYS = """
            UPDATE ff_waitpoint_hmac
            SET is_current = 0, valid_until_ms = coalesce(valid_until_ms, ?)
            WHERE is_current = 1 AND kid <> ?""";

    /** Inserts a key; a known kid keeps its created_at_ms and takes the rest. */
    static final String UPSERT_SIGNING_KEY = "INSERT INTO ff_waitpoint_hmac (" + SignalRows.SIGNING_KEY_DATA_COLUMNS
            + ", kid)\n" + """
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (kid) DO UPDATE SET
                secret = excluded.secret,
                is_current = excluded.is_current,
                valid_until_ms = excluded.valid_until_ms""";

    static final String SELECT_SIGNING_KEY = "SELECT " + SignalRows.SIGNING_KEY_COLUMNS + """

            FROM ff_waitpoint_hmac
            WHERE kid = ?""";

    /** The current key; should there ever be two, the newest. */
    static final String SELECT_CURRENT_SIGNING_KEY = "SELECT " + SignalRows.SIGNING_KEY_COLUMNS + """

            FROM ff_waitpoint_hmac
            WHERE is_current = 1
            ORDER BY created_at_ms DESC, kid DESC
            LIMIT 1""";

    /** The child rows {@link SqliteTx#deleteExecution} removes along with the execution. */
    static final List<String> DELETE_EXECUTION_ROWS = List.of(
            "DELETE FROM ff_signal WHERE partition_key = ? AND execution_id = ?",
            "DELETE FROM ff_waitpoint WHERE partition_key = ? AND execution_id = ?",
            "DELETE FROM ff_suspension WHERE partition_key = ? AND execution_id = ?");

    /** Reads one row of a result set. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final Scope scope;

    SqliteSignalStatements(Scope scope) {
        this.scope = scope;
    }

    Mono<Void> insertWaitpoint(WaitpointRow row) {
        return scope.mono("insertWaitpoint", () -> {
            PreparedStatement ps = scope.connection().prepare(INSERT_WAITPOINT);
            SignalRows.bindWaitpoint(ps, row);
            ps.executeUpdate();
            return null;
        });
    }

    Mono<Void> updateWaitpoint(WaitpointRow row) {
        return scope.mono("updateWaitpoint", () -> {
            PreparedStatement ps = scope.connection().prepare(UPDATE_WAITPOINT);
            SignalRows.bindWaitpoint(ps, row);
            SqliteTx.requireOneRow(ps.executeUpdate(), "waitpoint " + row.waitpointId + " of " + row.executionId);
            return null;
        });
    }

    Flux<WaitpointRow> findWaitpoints(ExecutionId id) {
        return scope.flux("findWaitpoints", () -> list(byExecution(SELECT_WAITPOINTS, id), SignalRows::waitpoint));
    }

    Flux<WaitpointRow> listOpenWaitpoints(WaitpointQuery query) {
        return scope.flux("listOpenWaitpoints", () -> {
            boolean firstPage = query.afterCreatedAtMs() == null;
            PreparedStatement ps = byExecution(firstPage ? LIST_OPEN_WAITPOINTS : LIST_OPEN_WAITPOINTS_AFTER,
                    query.executionId());
            ps.setInt(3, query.limit());
            if (!firstPage) {
                ps.setLong(4, query.afterCreatedAtMs());
                ps.setString(5, query.afterWaitpointId().toString());
            }
            return list(ps, SignalRows::waitpoint);
        });
    }

    Mono<Void> insertSuspension(SuspensionRow row) {
        return scope.mono("insertSuspension", () -> {
            PreparedStatement ps = scope.connection().prepare(INSERT_SUSPENSION);
            SignalRows.bindSuspension(ps, row);
            ps.executeUpdate();
            return null;
        });
    }

    Mono<Void> updateSuspension(SuspensionRow row) {
        return scope.mono("updateSuspension", () -> {
            PreparedStatement ps = scope.connection().prepare(UPDATE_SUSPENSION);
            SignalRows.bindSuspension(ps, row);
            SqliteTx.requireOneRow(ps.executeUpdate(), "suspension " + row.suspensionId + " of " + row.executionId);
            return null;
        });
    }

    Mono<SuspensionRow> findOpenSuspension(ExecutionId id) {
        return scope.mono("findOpenSuspension",
                () -> first(byExecution(SELECT_OPEN_SUSPENSION, id), SignalRows::suspension));
    }

    Mono<SuspensionRow> findSuspensionByKey(ExecutionId id, String idempotencyKey) {
        return scope.mono("findSuspensionByKey",
                () -> first(byKey(SELECT_SUSPENSION_BY_KEY, id, idempotencyKey), SignalRows::suspension));
    }

    Mono<Void> insertSignal(SignalRow row) {
        return scope.mono("insertSignal", () -> {
            PreparedStatement ps = scope.connection().prepare(INSERT_SIGNAL);
            SignalRows.bindSignal(ps, row);
            ps.executeUpdate();
            return null;
        });
    }

    Flux<SignalRow> findSignals(ExecutionId id) {
        return scope.flux("findSignals", () -> list(byExecution(SELECT_SIGNALS, id), SignalRows::signal));
    }

    Mono<SignalRow> findSignalByKey(ExecutionId id, String idempotencyKey) {
        return scope.mono("findSignalByKey",
                () -> first(byKey(SELECT_SIGNAL_BY_KEY, id, idempotencyKey), SignalRows::signal));
    }

    Mono<Long> countSignals(ExecutionId id) {
        return scope.mono("countSignals", () -> first(byExecution(COUNT_SIGNALS, id), rs -> rs.getLong(1)));
    }

    /**
     * For a current key, first retires every other current key, then inserts or replaces the row; both
     * statements run in the caller's transaction.
     */
    Mono<Void> upsertSigningKey(SigningKeyRow row, long supersededUntilMs) {
        return scope.mono("upsertSigningKey", () -> {
            if (row.current) {
                PreparedStatement supersede = scope.connection().prepare(SUPERSEDE_SIGNING_KEYS);
                supersede.setLong(1, supersededUntilMs);
                supersede.setString(2, row.kid);
                supersede.executeUpdate();
            }
            PreparedStatement ps = scope.connection().prepare(UPSERT_SIGNING_KEY);
            SignalRows.bindSigningKey(ps, row);
            ps.executeUpdate();
            return null;
        });
    }

    Mono<SigningKeyRow> findSigningKey(String kid) {
        return scope.mono("findSigningKey", () -> {
            PreparedStatement ps = scope.connection().prepare(SELECT_SIGNING_KEY);
            ps.setString(1, kid);
            return first(ps, SignalRows::signingKey);
        });
    }

    Mono<SigningKeyRow> findCurrentSigningKey() {
        return scope.mono("findCurrentSigningKey",
                () -> first(scope.connection().prepare(SELECT_CURRENT_SIGNING_KEY), SignalRows::signingKey));
    }

    /** Deletes the execution's signals, waitpoints and suspensions (part of deleting the execution). */
    void deleteExecutionRows(ExecutionId id) throws SQLException {
        for (String sql : DELETE_EXECUTION_ROWS) {
            byExecution(sql, id).executeUpdate();
        }
    }

    private PreparedStatement byExecution(String sql, ExecutionId id) throws SQLException {
        PreparedStatement ps = scope.connection().prepare(sql);
        ps.setInt(1, id.partition());
        ps.setString(2, id.uuid().toString());
        return ps;
    }

    /** A lookup by an idempotency key; a null key matches nothing. */
    private PreparedStatement byKey(String sql, ExecutionId id, String idempotencyKey) throws SQLException {
        PreparedStatement ps = byExecution(sql, id);
        if (idempotencyKey == null) {
            ps.setNull(3, Types.VARCHAR);
        } else {
            ps.setString(3, idempotencyKey);
        }
        return ps;
    }

    private static <T> List<T> list(PreparedStatement ps, RowReader<T> reader) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(reader.read(rs));
            }
        }
        return rows;
    }

    /** The first row, or null. */
    private static <T> T first(PreparedStatement ps, RowReader<T> reader) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? reader.read(rs) : null;
        }
    }
}
