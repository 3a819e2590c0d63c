package io.flowfabric.sqlite;

import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.AttemptEnd;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ClaimGrant;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ClaimedRow;
import io.flowfabric.internal.CompletionGrant;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.LaneKey;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.OutboxRow;
import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.StoreTx;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The statements of one read-write transaction, run on the writer connection inside
 * {@code BEGIN IMMEDIATE ... COMMIT}. The reads are those of {@link SqliteReads} on the same connection (so
 * they see the transaction's own writes); the waitpoint, suspension, signal and signing-key statements are in
 * {@link SqliteSignalStatements}.
 *
 * <p>SQLite has a single writer: the transaction holds the database write lock from {@code BEGIN
 * IMMEDIATE} to {@code COMMIT}, and this store runs every transaction on one thread, one after the other.
 * Row locks are therefore implicit. {@link #lockExecution} is a plain {@code SELECT}, and
 * {@link #lockClaimable} needs no {@code SKIP LOCKED}, because no other transaction can hold a row. The
 * races PostgreSQL has to handle (two claimers picking one row, outbox rows committing out of sequence
 * order) cannot happen here.
 */
final class SqliteTx extends SqliteReads implements StoreTx {

    static final String INSERT_EXECUTION = "INSERT INTO ff_exec_core (" + Rows.EXECUTION_DATA_COLUMNS + """
            ,
                partition_key, execution_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";

    /** The columns that change after creation, in {@link Rows#bindMutableExecution} order. */
    static final String UPDATE_EXECUTION = "UPDATE ff_exec_core SET ("
            + Rows.EXECUTION_MUTABLE_COLUMNS + """
            ) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),
                row_version = row_version + 1
            WHERE partition_key = ? AND execution_id = ?""";

    /**
     * The capability test of claims and reclaims: keeps a row when none of its required capabilities is
     * missing from the offered JSON array (one parameter); a row that requires none (the common case) is
     * kept without expanding its array.
     */
    private static final String CAPABLE = """
              AND (required_capabilities = '[]'
                   OR NOT EXISTS (SELECT 1 FROM json_each(required_capabilities) r
                                  WHERE r.value NOT IN (SELECT value FROM json_each(?))))
            """;

    /**
     * Where a claim looks, after its select list: claimable rows in claim order, with the {@link #CAPABLE}
     * test. {@code lifecycle_phase = 'runnable'} is a literal so the partial claim index applies. Parameters:
     * namespace, lane, now, offered capabilities, limit.
     */
    static final String CLAIMABLE = """
            FROM ff_exec_core
            WHERE namespace = ? AND lane_id = ?
              AND lifecycle_phase = 'runnable'
              AND ownership_state = 'unowned'
              AND eligibility_state IN ('eligible_now', 'not_eligible_until_time')
              AND eligible_at_ms <= ?
            """ + CAPABLE + """
            ORDER BY priority DESC, created_at_ms, execution_id
            LIMIT ?""";

    /** Claimable rows in claim order ({@link #CLAIMABLE}), every column. */
    static final String LOCK_CLAIMABLE = "SELECT " + Rows.EXECUTION_COLUMNS + CLAIMABLE;

    /**
     * Reclaimable rows (lease lapsed or revoked) in claim order, with the {@link #CAPABLE} test. The phase
     * and ownership predicates repeat those of the partial reclaim index literally so it applies.
     */
    static final String LOCK_RECLAIMABLE = "SELECT " + Rows.EXECUTION_COLUMNS + """

            FROM ff_exec_core
            WHERE namespace = ? AND lane_id = ?
              AND lifecycle_phase = 'active'
              AND ownership_state IN ('lease_expired_reclaimable', 'lease_revoked')
            """ + CAPABLE + """
            ORDER BY priority DESC, created_at_ms, execution_id
            LIMIT ?""";

    static final String DELETE_EXECUTION_KEYS = """
            DELETE FROM ff_idempotency_key WHERE partition_key = ? AND execution_id = ?""";

    static final String DELETE_EXECUTION_ATTEMPTS = """
            DELETE FROM ff_attempt WHERE partition_key = ? AND execution_id = ?""";

    static final String DELETE_EXECUTION = """
            DELETE FROM ff_exec_core WHERE partition_key = ? AND execution_id = ?""";

    /**
     * Up to {@code limit} expired keys, oldest expiry first. The bundled SQLite is not built with
     * {@code DELETE ... LIMIT}, so the batch is chosen by rowid in a subquery (on the expiry index).
     */
    static final String DELETE_EXPIRED_IDEMPOTENCY_KEYS = """
            DELETE FROM ff_idempotency_key
            WHERE rowid IN (SELECT rowid FROM ff_idempotency_key
                            WHERE expires_at_ms <= ?
                            ORDER BY expires_at_ms
                            LIMIT ?)""";

    static final String INSERT_ATTEMPT = "INSERT INTO ff_attempt (" + Rows.ATTEMPT_DATA_COLUMNS + """
            ,
                partition_key, execution_id, attempt_index)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    static final String UPDATE_ATTEMPT = """
            UPDATE ff_attempt SET
                attempt_id = ?, attempt_type = ?, attempt_lifecycle = ?, lease_id = ?, lease_epoch = ?,
                worker_id = ?, worker_instance_id = ?, started_at_ms = ?, ended_at_ms = ?, error_type = ?,
                error_message = ?
            WHERE partition_key = ? AND execution_id = ? AND attempt_index = ?""";

    static final String END_ATTEMPT = """
            UPDATE ff_attempt SET attempt_lifecycle = ?, ended_at_ms = ?, error_type = ?, error_message = ?
            WHERE partition_key = ? AND execution_id = ? AND attempt_index = ?""";

    static final String SELECT_ATTEMPT = "SELECT " + Rows.ATTEMPT_COLUMNS + """

            FROM ff_attempt
            WHERE partition_key = ? AND execution_id = ? AND attempt_index = ?""";

    /** Takes a free key, or replaces a reservation that expired; a live one is left alone. */
    static final String RESERVE_IDEMPOTENCY_KEY = """
            INSERT INTO ff_idempotency_key (namespace, idempotency_key, partition_key, execution_id,
                                            expires_at_ms)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (namespace, idempotency_key) DO UPDATE SET
                partition_key = excluded.partition_key,
                execution_id = excluded.execution_id,
                expires_at_ms = excluded.expires_at_ms
            WHERE ff_idempotency_key.expires_at_ms <= ?""";

    static final String SELECT_IDEMPOTENCY_OWNER = """
            SELECT partition_key, execution_id
            FROM ff_idempotency_key
            WHERE namespace = ? AND idempotency_key = ?""";

    static final String INSERT_COMPLETION_EVENT = """
            INSERT INTO ff_completion_event (partition_key, execution_id, namespace, event_type, tags_json,
                                             occurred_at_ms, details_json)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    static final String INSERT_LEASE_EVENT = """
            INSERT INTO ff_lease_event (partition_key, execution_id, namespace, event_type, tags_json,
                                        occurred_at_ms, details_json)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    static final String INSERT_OPERATOR_EVENT = """
            INSERT INTO ff_operator_event (partition_key, execution_id, namespace, event_type, tags_json,
                                           occurred_at_ms, details_json)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    static final String INSERT_SIGNAL_EVENT = """
            INSERT INTO ff_signal_event (partition_key, execution_id, namespace, event_type, tags_json,
                                         occurred_at_ms, details_json)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    /**
     * The insert of each feed's table ({@link Feed#table()}). event_id is AUTOINCREMENT, so it follows
     * commit order (one writer) and is never reused after a trim; tx_id keeps its default 0.
     */
    static final Map<Feed, String> INSERT_EVENT = new EnumMap<>(Map.of(
            Feed.COMPLETION, INSERT_COMPLETION_EVENT,
            Feed.LEASE, INSERT_LEASE_EVENT,
            Feed.OPERATOR, INSERT_OPERATOR_EVENT,
            Feed.SIGNAL, INSERT_SIGNAL_EVENT));

    private final Scope scope;
    private final SqliteSignalStatements signals;
    /** The lanes this transaction left an execution claimable in; hinted only after its COMMIT succeeded. */
    private final Set<LaneKey> claimable = new HashSet<>();

    /** The feeds this transaction appended to; woken up only after its COMMIT succeeded. */
    private final Set<Feed> appended = EnumSet.noneOf(Feed.class);

    SqliteTx(Scope scope) {
        super(scope);
        this.scope = scope;
        this.signals = signals();
    }

    /** A plain SELECT: the write lock taken by BEGIN IMMEDIATE already excludes every other writer. */
    @Override
    public Mono<ExecutionRow> lockExecution(ExecutionId id) {
        return scope.mono("lockExecution", () -> selectExecution(id));
    }

    @Override
    public Mono<Boolean> insertExecution(ExecutionRow row) {
        return scope.mono("insertExecution", () -> {
            PreparedStatement ps = scope.connection().prepare(INSERT_EXECUTION);
            Rows.bindExecution(ps, row);
            boolean inserted = ps.executeUpdate() == 1;
            if (inserted) {
                noteClaimable(row);
            }
            return inserted;
        });
    }

    @Override
    public Mono<Void> updateExecution(ExecutionRow row) {
        return scope.mono("updateExecution", () -> {
            PreparedStatement ps = scope.connection().prepare(UPDATE_EXECUTION);
            Rows.bindMutableExecution(ps, row);
            requireOneRow(ps.executeUpdate(), "execution " + row.id());
            noteClaimable(row);
            return null;
        });
    }

    @Override
    public Flux<ExecutionRow> lockClaimable(ClaimQuery query) {
        return scope.flux("lockClaimable", () -> {
            PreparedStatement ps = scope.connection().prepare(LOCK_CLAIMABLE);
            ps.setString(1, query.namespace());
            ps.setString(2, query.laneId());
            ps.setLong(3, query.nowMs());
            ps.setString(4, Rows.capabilitiesJson(query.capabilities()));
            ps.setInt(5, query.limit());
            return SqliteReads.executions(ps);
        });
    }

    @Override
    public Mono<Void> insertAttempt(AttemptRow row) {
        return scope.mono("insertAttempt", () -> {
            PreparedStatement ps = scope.connection().prepare(INSERT_ATTEMPT);
            Rows.bindAttempt(ps, row);
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public Mono<Void> endAttempt(AttemptEnd end) {
        return scope.mono("endAttempt", () -> {
            PreparedStatement ps = scope.connection().prepare(END_ATTEMPT);
            ps.setString(1, end.lifecycle().literal());
            Rows.setLong(ps, 2, end.endedAtMs());
            ps.setString(3, end.errorType());
            ps.setString(4, end.errorMessage());
            ps.setInt(5, end.executionId().partition());
            ps.setString(6, end.executionId().uuid().toString());
            ps.setInt(7, end.attemptIndex());
            ps.executeUpdate();
            return null;
        });
    }

    @Override
    public Mono<Void> updateAttempt(AttemptRow row) {
        return scope.mono("updateAttempt", () -> {
            PreparedStatement ps = scope.connection().prepare(UPDATE_ATTEMPT);
            Rows.bindAttempt(ps, row);
            requireOneRow(ps.executeUpdate(), "attempt " + row.attemptIndex + " of " + row.executionId);
            return null;
        });
    }

    @Override
    public Mono<AttemptRow> findAttempt(ExecutionId id, int attemptIndex) {
        return scope.mono("findAttempt", () -> {
            PreparedStatement ps = scope.connection().prepare(SELECT_ATTEMPT);
            ps.setInt(1, id.partition());
            ps.setString(2, id.uuid().toString());
            ps.setInt(3, attemptIndex);
            List<AttemptRow> rows = SqliteReads.attempts(ps);
            return rows.isEmpty() ? null : rows.get(0);
        });
    }

    @Override
    public Mono<ExecutionId> reserveIdempotencyKey(String namespace, String key, ExecutionId candidate,
            long expiresAtMs, long nowMs) {
        return scope.mono("reserveIdempotencyKey", () -> {
            PreparedStatement upsert = scope.connection().prepare(RESERVE_IDEMPOTENCY_KEY);
            upsert.setString(1, namespace);
            upsert.setString(2, key);
            upsert.setInt(3, candidate.partition());
            upsert.setString(4, candidate.uuid().toString());
            upsert.setLong(5, expiresAtMs);
            upsert.setLong(6, nowMs);
            upsert.executeUpdate();
            return idempotencyOwner(namespace, key);
        });
    }

    @Override
    public Mono<Void> appendEvent(OutboxRow row) {
        return scope.mono("appendEvent", () -> {
            String sql = INSERT_EVENT.get(row.feed);
            if (sql == null) {
                throw new IllegalArgumentException("outbox row without a feed");
            }
            PreparedStatement ps = scope.connection().prepare(sql);
            ps.setInt(1, row.partitionKey);
            ps.setString(2, row.executionId.toString());
            ps.setString(3, row.namespace);
            ps.setString(4, row.eventType);
            ps.setString(5, row.tagsJson);
            ps.setLong(6, row.occurredAtMs);
            ps.setString(7, row.detailsJson);
            ps.executeUpdate();
            appended.add(row.feed);
            return null;
        });
    }

    /** Claims by applying the core's grant in SQL ({@link SqliteClaim}); the rows in claim order. */
    Mono<List<ClaimedRow>> claimGranted(ClaimQuery query, ClaimGrant grant) {
        return scope.mono("claim", () -> {
            List<ClaimedRow> claimed = SqliteClaim.claim(scope.connection(), query, grant);
            if (!claimed.isEmpty()) {
                appended.add(Feed.LEASE);
            }
            return claimed;
        });
    }

    /** Completes by applying the core's grant in SQL ({@link SqliteComplete}); the completed indexes. */
    Mono<List<Integer>> completeGranted(List<CompleteExecution> requests, CompletionGrant grant) {
        return scope.mono("complete", () -> {
            List<Integer> completed = SqliteComplete.complete(scope.connection(), requests, grant);
            if (!completed.isEmpty()) {
                appended.add(Feed.LEASE);
                appended.add(Feed.COMPLETION);
            }
            return completed;
        });
    }

    /** A plain SELECT, like {@link #lockClaimable}: no other transaction can hold a row. */
    @Override
    public Flux<ExecutionRow> lockReclaimable(ClaimQuery query) {
        return scope.flux("lockReclaimable", () -> {
            PreparedStatement ps = scope.connection().prepare(LOCK_RECLAIMABLE);
            ps.setString(1, query.namespace());
            ps.setString(2, query.laneId());
            ps.setString(3, Rows.capabilitiesJson(query.capabilities()));
            ps.setInt(4, query.limit());
            return SqliteReads.executions(ps);
        });
    }

    /**
     * Deletes the signals, waitpoints and suspensions, then the keys, the attempts and the row; a missing
     * execution deletes nothing.
     */
    @Override
    public Mono<Void> deleteExecution(ExecutionId id) {
        return scope.mono("deleteExecution", () -> {
            signals.deleteExecutionRows(id);
            for (String sql : List.of(DELETE_EXECUTION_KEYS, DELETE_EXECUTION_ATTEMPTS, DELETE_EXECUTION)) {
                PreparedStatement ps = scope.connection().prepare(sql);
                ps.setInt(1, id.partition());
                ps.setString(2, id.uuid().toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Mono<Long> deleteExpiredIdempotencyKeys(long nowMs, int limit) {
        return scope.mono("deleteExpiredIdempotencyKeys", () -> {
            PreparedStatement ps = scope.connection().prepare(DELETE_EXPIRED_IDEMPOTENCY_KEYS);
            ps.setLong(1, nowMs);
            ps.setInt(2, limit);
            return (long) ps.executeUpdate();
        });
    }

    @Override
    public Mono<Void> insertWaitpoint(WaitpointRow row) {
        return signals.insertWaitpoint(row);
    }

    @Override
    public Mono<Void> updateWaitpoint(WaitpointRow row) {
        return signals.updateWaitpoint(row);
    }

    @Override
    public Mono<Void> insertSuspension(SuspensionRow row) {
        return signals.insertSuspension(row);
    }

    @Override
    public Mono<Void> updateSuspension(SuspensionRow row) {
        return signals.updateSuspension(row);
    }

    @Override
    public Mono<Void> insertSignal(SignalRow row) {
        return signals.insertSignal(row);
    }

    @Override
    public Mono<Void> upsertSigningKey(SigningKeyRow row, long supersededUntilMs) {
        return signals.upsertSigningKey(row, supersededUntilMs);
    }

    private void noteClaimable(ExecutionRow row) {
        if (LaneKey.claimable(row)) {
            claimable.add(new LaneKey(row.namespace, row.laneId));
        }
    }

    /** The lanes of claim hints so far; read by the store after COMMIT, on the writer thread. */
    Set<LaneKey> claimableLanes() {
        return claimable;
    }

    /** The feeds appended to so far; read by the store after COMMIT, on the writer thread. */
    Set<Feed> appendedFeeds() {
        return appended;
    }

    private ExecutionId idempotencyOwner(String namespace, String key) throws SQLException {
        PreparedStatement ps = scope.connection().prepare(SELECT_IDEMPOTENCY_OWNER);
        ps.setString(1, namespace);
        ps.setString(2, key);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("idempotency key vanished after its upsert: " + key);
            }
            return new ExecutionId(rs.getInt("partition_key"), UUID.fromString(rs.getString("execution_id")));
        }
    }

    /** Updates match by primary key; anything but one row means the caller wrote a row it never loaded. */
    static void requireOneRow(int changed, String what) {
        if (changed != 1) {
            throw new IllegalStateException("update of " + what + " matched " + changed + " rows instead of 1");
        }
    }
}
