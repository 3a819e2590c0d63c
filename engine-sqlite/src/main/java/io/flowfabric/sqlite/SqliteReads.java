package io.flowfabric.sqlite;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.DueKind;
import io.flowfabric.internal.DueQuery;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.ListQuery;
import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.StoreReads;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointQuery;
import io.flowfabric.internal.WaitpointRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The read statements, on the connection and thread of one {@link Scope}. {@link SqliteTx} extends this
 * class; the reads over waitpoints, suspensions, signals and signing keys are in
 * {@link SqliteSignalStatements}.
 */
class SqliteReads implements StoreReads {

    static final String SELECT_EXECUTION = "SELECT " + Rows.EXECUTION_COLUMNS + """

            FROM ff_exec_core
            WHERE partition_key = ? AND execution_id = ?""";

    static final String SELECT_ATTEMPTS = "SELECT " + Rows.ATTEMPT_COLUMNS + """

            FROM ff_attempt
            WHERE partition_key = ? AND execution_id = ?
            ORDER BY attempt_index""";

    /**
     * One list page. A null filter matches everything. {@code waiting} also matches a delayed execution
     * that is already due (it reads as waiting in {@code describe}); {@code delayed} only matches one that
     * is not due yet. The keyset position is compared as a row value, so the page starts strictly after it.
     */
    static final String LIST_EXECUTIONS = "SELECT " + Rows.EXECUTION_COLUMNS + """

            FROM ff_exec_core
            WHERE (?1 IS NULL OR namespace = ?1)
              AND (?2 IS NULL OR lane_id = ?2)
              AND (?3 IS NULL
                   OR (?3 = 'waiting' AND (public_state = 'waiting'
                                          OR (public_state = 'delayed' AND eligible_at_ms <= ?4)))
                   OR (?3 = 'delayed' AND public_state = 'delayed' AND eligible_at_ms > ?4)
                   OR (?3 NOT IN ('waiting', 'delayed') AND public_state = ?3))
              AND (?5 IS NULL OR (created_at_ms, partition_key, execution_id) > (?5, ?6, ?7))
            ORDER BY created_at_ms, partition_key, execution_id
            LIMIT ?8""";

    /**
     * The filters and limit every due query ends with: {@code ?2} namespace, {@code ?3}/{@code ?4} tag key
     * and value (the key is bound into a quoted JSON path, so a dotted key is one label), {@code ?5} limit.
     */
    private static final String DUE_FILTERS = """
              AND (?2 IS NULL OR namespace = ?2)
              AND (?3 IS NULL OR tags_json ->> ('$."' || ?3 || '"') = ?4)
            """;

    /*
     * One query per DueKind. Each repeats the predicate of its partial index (V3__reconciler_indexes.sql)
     * literally, so SQLite can prove the index applies and scans only the due rows in time order; ?1 is
     * the time compared with. Equal times are ordered by key so passes are deterministic.
     */

    static final String DUE_LEASE_EXPIRED = """
            SELECT partition_key, execution_id
            FROM ff_exec_core
            WHERE lifecycle_phase = 'active' AND ownership_state = 'leased'
              AND lease_expires_at_ms <= ?1
            """ + DUE_FILTERS + """
            ORDER BY lease_expires_at_ms, partition_key, execution_id
            LIMIT ?5""";

    static final String DUE_DELAY = """
            SELECT partition_key, execution_id
            FROM ff_exec_core
            WHERE lifecycle_phase = 'runnable' AND eligibility_state = 'not_eligible_until_time'
              AND eligible_at_ms <= ?1
            """ + DUE_FILTERS + """
            ORDER BY eligible_at_ms, partition_key, execution_id
            LIMIT ?5""";

    static final String DUE_ATTEMPT_TIMED_OUT = """
            SELECT partition_key, execution_id
            FROM ff_exec_core
            WHERE lifecycle_phase = 'active' AND attempt_deadline_at_ms IS NOT NULL
              AND attempt_deadline_at_ms <= ?1
            """ + DUE_FILTERS + """
            ORDER BY attempt_deadline_at_ms, partition_key, execution_id
            LIMIT ?5""";

    static final String DUE_DEADLINE_PASSED = """
            SELECT partition_key, execution_id
            FROM ff_exec_core
            WHERE lifecycle_phase <> 'terminal' AND deadline_at_ms IS NOT NULL
              AND deadline_at_ms <= ?1
            """ + DUE_FILTERS + """
            ORDER BY deadline_at_ms, partition_key, execution_id
            LIMIT ?5""";

    static final String DUE_RETENTION = """
            SELECT partition_key, execution_id
            FROM ff_exec_core
            WHERE lifecycle_phase = 'terminal'
              AND terminal_at_ms <= ?1
            """ + DUE_FILTERS + """
            ORDER BY terminal_at_ms, partition_key, execution_id
            LIMIT ?5""";

    /*
     * The two kinds over V4's tables start from the partial index of the child table (its predicate repeated
     * literally) and look the execution up by primary key, where the phase, namespace and tag filters apply.
     */

    /** Suspended rows by the timeout of their open suspension (the core keeps one open per execution). */
    static final String DUE_SUSPENSION_TIMED_OUT = """
            SELECT s.partition_key, s.execution_id
            FROM ff_suspension s
            JOIN ff_exec_core e ON e.partition_key = s.partition_key AND e.execution_id = s.execution_id
            WHERE s.closed_at_ms IS NULL AND s.timeout_at_ms IS NOT NULL
              AND s.timeout_at_ms <= ?1
              AND e.lifecycle_phase = 'suspended'
            """ + DUE_FILTERS + """
            ORDER BY s.timeout_at_ms, s.partition_key, s.execution_id
            LIMIT ?5""";

    /**
     * Rows with an expired pending waitpoint, once each, by the earliest such expiry: a waitpoint counts only
     * when no pending waitpoint of its execution expires before it (ties by waitpoint id), which the primary
     * key answers per execution, so the scan stays in expiry order and LIMIT stops it early.
     */
    static final String DUE_WAITPOINT_EXPIRED = """
            SELECT w.partition_key, w.execution_id
            FROM ff_waitpoint w
            JOIN ff_exec_core e ON e.partition_key = w.partition_key AND e.execution_id = w.execution_id
            WHERE w.state = 'pending' AND w.expires_at_ms IS NOT NULL
              AND w.expires_at_ms <= ?1
              AND NOT EXISTS (SELECT 1 FROM ff_waitpoint o
                              WHERE o.partition_key = w.partition_key AND o.execution_id = w.execution_id
                                AND o.state = 'pending'
                                AND (o.expires_at_ms < w.expires_at_ms
                                     OR (o.expires_at_ms = w.expires_at_ms AND o.waitpoint_id < w.waitpoint_id)))
            """ + DUE_FILTERS + """
            ORDER BY w.expires_at_ms, w.partition_key, w.execution_id
            LIMIT ?5""";

    /** The query of each kind. */
    static final Map<DueKind, String> FIND_DUE = new EnumMap<>(Map.of(
            DueKind.LEASE_EXPIRED, DUE_LEASE_EXPIRED,
            DueKind.DELAY_DUE, DUE_DELAY,
            DueKind.ATTEMPT_TIMED_OUT, DUE_ATTEMPT_TIMED_OUT,
            DueKind.DEADLINE_PASSED, DUE_DEADLINE_PASSED,
            DueKind.RETENTION_DUE, DUE_RETENTION,
            DueKind.SUSPENSION_TIMED_OUT, DUE_SUSPENSION_TIMED_OUT,
            DueKind.WAITPOINT_EXPIRED, DUE_WAITPOINT_EXPIRED));

    private final Scope scope;
    private final SqliteSignalStatements signals;

    SqliteReads(Scope scope) {
        this.scope = scope;
        this.signals = new SqliteSignalStatements(scope);
    }

    /** The waitpoint, suspension, signal and signing-key statements on this scope. */
    final SqliteSignalStatements signals() {
        return signals;
    }

    @Override
    public Mono<ExecutionRow> findExecution(ExecutionId id) {
        return scope.mono("findExecution", () -> selectExecution(id));
    }

    /** Runs {@link #SELECT_EXECUTION} now; null when missing. */
    ExecutionRow selectExecution(ExecutionId id) throws SQLException {
        PreparedStatement ps = scope.connection().prepare(SELECT_EXECUTION);
        ps.setInt(1, id.partition());
        ps.setString(2, id.uuid().toString());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Rows.execution(rs) : null;
        }
    }

    @Override
    public Flux<AttemptRow> findAttempts(ExecutionId id) {
        return scope.flux("findAttempts", () -> {
            PreparedStatement ps = scope.connection().prepare(SELECT_ATTEMPTS);
            ps.setInt(1, id.partition());
            ps.setString(2, id.uuid().toString());
            return attempts(ps);
        });
    }

    @Override
    public Flux<ExecutionRow> listExecutions(ListQuery query) {
        return scope.flux("listExecutions", () -> {
            PreparedStatement ps = scope.connection().prepare(LIST_EXECUTIONS);
            ps.setString(1, query.namespace());
            ps.setString(2, query.laneId());
            ps.setString(3, query.publicState() == null ? null : query.publicState().literal());
            ps.setLong(4, query.nowMs());
            bindPosition(ps, query);
            ps.setInt(8, query.limit());
            return executions(ps);
        });
    }

    /**
     * The ids of the due rows, read without locking. A tag key without a value matches nothing (the
     * comparison with NULL is never true); a tag key with a double quote is rejected, since it cannot be
     * written as a quoted JSON path label (valid tag keys never hold one).
     */
    @Override
    public Flux<ExecutionId> findDue(DueQuery query) {
        return scope.flux("findDue", () -> {
            String sql = FIND_DUE.get(query.kind());
            if (sql == null) {
                throw new IllegalArgumentException("a due query needs a kind: " + query);
            }
            if (query.tagKey() != null && query.tagKey().indexOf('"') >= 0) {
                // It would end the quoted JSON path label early; valid tag keys never contain one.
                throw new IllegalArgumentException("a tag key cannot contain '\"': " + query.tagKey());
            }
            PreparedStatement ps = scope.connection().prepare(sql);
            ps.setLong(1, query.nowMs());
            ps.setString(2, query.namespace());
            ps.setString(3, query.tagKey());
            ps.setString(4, query.tagValue());
            ps.setInt(5, query.limit());
            List<ExecutionId> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(new ExecutionId(rs.getInt(1), UUID.fromString(rs.getString(2))));
                }
            }
            return ids;
        });
    }

    @Override
    public Flux<WaitpointRow> findWaitpoints(ExecutionId id) {
        return signals.findWaitpoints(id);
    }

    @Override
    public Flux<WaitpointRow> listOpenWaitpoints(WaitpointQuery query) {
        return signals.listOpenWaitpoints(query);
    }

    @Override
    public Mono<SuspensionRow> findOpenSuspension(ExecutionId id) {
        return signals.findOpenSuspension(id);
    }

    @Override
    public Mono<SuspensionRow> findSuspensionByKey(ExecutionId id, String idempotencyKey) {
        return signals.findSuspensionByKey(id, idempotencyKey);
    }

    @Override
    public Flux<SignalRow> findSignals(ExecutionId id) {
        return signals.findSignals(id);
    }

    @Override
    public Mono<SignalRow> findSignalByKey(ExecutionId id, String idempotencyKey) {
        return signals.findSignalByKey(id, idempotencyKey);
    }

    @Override
    public Mono<Long> countSignals(ExecutionId id) {
        return signals.countSignals(id);
    }

    @Override
    public Mono<SigningKeyRow> findSigningKey(String kid) {
        return signals.findSigningKey(kid);
    }

    @Override
    public Mono<SigningKeyRow> findCurrentSigningKey() {
        return signals.findCurrentSigningKey();
    }

    private static void bindPosition(PreparedStatement ps, ListQuery query) throws SQLException {
        if (query.afterCreatedAtMs() == null) {
            ps.setNull(5, Types.BIGINT);
            ps.setNull(6, Types.INTEGER);
            ps.setNull(7, Types.VARCHAR);
            return;
        }
        if (query.afterPartitionKey() == null || query.afterExecutionId() == null) {
            throw new IllegalArgumentException("a list position needs createdAtMs, partitionKey and executionId: "
                    + query);
        }
        ps.setLong(5, query.afterCreatedAtMs());
        ps.setInt(6, query.afterPartitionKey());
        ps.setString(7, query.afterExecutionId().toString());
    }

    /** Runs {@code ps} and materialises the execution rows. */
    static List<ExecutionRow> executions(PreparedStatement ps) throws SQLException {
        List<ExecutionRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(Rows.execution(rs));
            }
        }
        return rows;
    }

    /** Runs {@code ps} and materialises the attempt rows. */
    static List<AttemptRow> attempts(PreparedStatement ps) throws SQLException {
        List<AttemptRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(Rows.attempt(rs));
            }
        }
        return rows;
    }
}
