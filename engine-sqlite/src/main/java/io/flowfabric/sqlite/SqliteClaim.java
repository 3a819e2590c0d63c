package io.flowfabric.sqlite;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.internal.ClaimGrant;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ClaimedRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A claim that applies the core's {@link ClaimGrant} in SQL, inside one write transaction: one read picks
 * the claimable rows in claim order with the columns the claim answers from; Java decides each row's new
 * lease and attempt values once ({@link Lease}); per row one {@code UPDATE} writes them; then one statement
 * per attempt type (usually one) starts the new attempt records and one writes all the lease events, each
 * reading the leased rows by rowid from a JSON array. The claim's answer ({@link ClaimedRow}) is built from
 * the values the update wrote, so the leased rows are not read again; each leased row's rowid is left in
 * {@link RowidHints} for its completion. The per-row update is deliberate: one
 * {@code UPDATE ... FROM json_each(...)} for the whole batch measured slower in the claim benchmarks than
 * one short update per row, while the set-based inserts are cheaper than per-row ones.
 *
 * <p>No row can be taken by anyone else in between: SQLite has one writer, and the transaction holds it.
 * The writes are those of the core's own claim path ({@link ClaimGrant} lists them);
 * {@code SqliteGrantedPathsTest} checks both paths leave the same rows and give the same answers.
 */
final class SqliteClaim {

    /**
     * The claimable rows, in claim order, with what decides how each is leased and what the claim answers:
     * 1 rowid, 2 attempt state, 3 whether an attempt exists, 4 partition, 5 execution id, 6 kind,
     * 7 payload, 8 tags, 9 priority, 10 lease epoch, 11 current attempt index, 12 current attempt id,
     * 13 attempts started so far, 14 attempt deadline, 15 the policy's attempt timeout in ms (null if none).
     */
    static final String PICK = """
            SELECT rowid, attempt_state, current_attempt_index IS NOT NULL AS has_attempt,
                   partition_key, execution_id, execution_kind, payload, tags_json, priority,
                   lease_epoch, current_attempt_index, current_attempt_id, total_attempt_count,
                   attempt_deadline_at_ms, json_extract(policy_json, '$.attempt_timeout_ms')
            """ + SqliteTx.CLAIMABLE;

    /*
     * The lease update for one target state (its columns as literals, see Rows.stateAssignments). ?1: lease
     * ttl. ?2: now. ?3, ?4: worker and instance. ?5: lease id. ?6: lease epoch. ?7: attempt index. ?8: attempt
     * id. ?9: attempts started. ?10: 1 when the interrupted attempt resumes (its progress stays), else 0.
     * ?11: attempt deadline. ?12: the row's rowid.
     */
    private static final String LEASE = """
            UPDATE ff_exec_core SET
                %s, blocking_detail = NULL,
                lease_id = ?5, lease_epoch = ?6, lease_ttl_ms = ?1,
                lease_expires_at_ms = ?2 + ?1, lease_worker_id = ?3, lease_worker_instance_id = ?4,
                updated_at_ms = ?2, started_at_ms = coalesce(started_at_ms, ?2),
                current_attempt_index = ?7, current_attempt_id = ?8, total_attempt_count = ?9,
                progress_pct = CASE WHEN ?10 THEN progress_pct END,
                progress_message = CASE WHEN ?10 THEN progress_message END,
                attempt_deadline_at_ms = ?11,
                row_version = row_version + 1
            WHERE rowid = ?12""";

    /**
     * {@link #LEASE} for the target state of every claim grant (a constant of {@link ClaimGrant}), built
     * once.
     */
    private static final String LEASE_SQL = LEASE.formatted(Rows.stateAssignments(
            new ClaimGrant(0, 0, "", "").target()));

    /**
     * The new attempt records of one attempt type, from the leased rows, in claim order (one statement per
     * type in the batch, usually one: a flat array of rowids is cheaper to read than pairs). ?1: lifecycle.
     * ?2: now. ?3: attempt type. ?4: the rowids as a JSON array.
     */
    static final String START_ATTEMPTS = """
            INSERT INTO ff_attempt (partition_key, execution_id, attempt_index, attempt_id, attempt_type,
                                    attempt_lifecycle, lease_id, lease_epoch, worker_id, worker_instance_id,
                                    started_at_ms)
            SELECT e.partition_key, e.execution_id, e.current_attempt_index, e.current_attempt_id, ?3,
                   ?1, e.lease_id, e.lease_epoch, e.lease_worker_id, e.lease_worker_instance_id, ?2
            FROM json_each(?4) AS j
            JOIN ff_exec_core AS e ON e.rowid = j.value
            ORDER BY j.key""";

    /** The interrupted attempt records under the new leases. ?1: lifecycle. ?2: the rowids as a JSON array. */
    static final String RELEASE_ATTEMPTS = """
            UPDATE ff_attempt AS a SET
                attempt_lifecycle = ?1, lease_id = e.lease_id, lease_epoch = e.lease_epoch,
                worker_id = e.lease_worker_id, worker_instance_id = e.lease_worker_instance_id
            FROM ff_exec_core AS e
            WHERE e.rowid IN (SELECT value FROM json_each(?2))
              AND a.partition_key = e.partition_key AND a.execution_id = e.execution_id
              AND a.attempt_index = e.current_attempt_index""";

    /** The types of the interrupted attempts that resumed. ?1: the rowids as a JSON array. */
    static final String RESUMED_TYPES = """
            SELECT e.rowid, a.attempt_type
            FROM ff_exec_core AS e
            JOIN ff_attempt AS a
              ON a.partition_key = e.partition_key AND a.execution_id = e.execution_id
             AND a.attempt_index = e.current_attempt_index
            WHERE e.rowid IN (SELECT value FROM json_each(?1))""";

    private SqliteClaim() {
    }

    /** Claims on the writer connection, inside the caller's transaction; the rows in claim order. */
    static List<ClaimedRow> claim(SqliteConnection connection, ClaimQuery query, ClaimGrant grant)
            throws SQLException {
        List<Lease> leases = pick(connection, query, grant);
        if (leases.isEmpty()) {
            return List.of();
        }
        lease(connection, grant, leases);
        RowidHints hints = connection.rowidHints();
        for (Lease l : leases) {
            hints.leased(l.id, l.rowid);
        }
        startAttempts(connection, grant, leases);
        List<Long> resumed = leases.stream().filter(Lease::resumed).map(Lease::rowid).toList();
        Map<Long, AttemptType> resumedTypes = resumed.isEmpty() ? Map.of() : release(connection, grant, resumed);
        SqliteLeaseEvents.append(connection, grant.eventType(), grant.nowMs(),
                SqliteLeaseEvents.jsonArray(leases.stream().map(Lease::rowid).toList()));
        List<ClaimedRow> claimed = new ArrayList<>(leases.size());
        for (Lease l : leases) {
            AttemptType type = l.resumed ? resumedTypes.get(l.rowid) : l.newType;
            if (type == null) {
                throw new IllegalStateException("the interrupted attempt of " + l.id + " has no record");
            }
            claimed.add(new ClaimedRow(l.id, l.kind, query.laneId(), query.namespace(), l.payload, l.tagsJson,
                    l.priority, l.leaseId, l.leaseEpoch, l.attemptId, l.attemptIndex,
                    grant.nowMs() + grant.leaseTtlMs(), l.attemptDeadlineAtMs, type, l.resumed));
        }
        return claimed;
    }

    /**
     * A picked row and the lease the claim gives it: a resumed row keeps its interrupted attempt (index, id,
     * deadline, attempt count); any other row starts attempt number {@code attemptsStarted} with a new id and
     * a deadline of now plus its policy's attempt timeout, if it has one.
     */
    private record Lease(long rowid, ExecutionId id, String kind, byte[] payload, String tagsJson, int priority,
            boolean resumed, AttemptType newType, UUID leaseId, long leaseEpoch, int attemptIndex, UUID attemptId,
            int attemptsStarted, Long attemptDeadlineAtMs) {
    }

    private static List<Lease> pick(SqliteConnection connection, ClaimQuery query, ClaimGrant grant)
            throws SQLException {
        PreparedStatement ps = connection.prepare(PICK);
        ps.setString(1, query.namespace());
        ps.setString(2, query.laneId());
        ps.setLong(3, query.nowMs());
        ps.setString(4, Rows.capabilitiesJson(query.capabilities()));
        ps.setInt(5, query.limit());
        List<Lease> leases = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                AttemptState state = AttemptState.fromLiteral(rs.getString(2));
                boolean resumed = state == grant.resumableState() && rs.getBoolean(3);
                ExecutionId id = new ExecutionId(rs.getInt(4), UUID.fromString(rs.getString(5)));
                int attemptsSoFar = rs.getInt(13);
                int attemptIndex;
                UUID attemptId;
                int attemptsStarted;
                Long deadline;
                if (resumed) {
                    attemptIndex = rs.getInt(11);
                    attemptId = UUID.fromString(rs.getString(12));
                    attemptsStarted = attemptsSoFar;
                    deadline = Rows.getLong(rs, 14);
                } else {
                    attemptIndex = attemptsSoFar;
                    attemptId = UUID.randomUUID();
                    attemptsStarted = attemptsSoFar + 1;
                    Long timeout = Rows.getLong(rs, 15);
                    deadline = timeout == null ? null : grant.nowMs() + timeout;
                }
                leases.add(new Lease(rs.getLong(1), id, rs.getString(6), Rows.bytes(rs, 7), rs.getString(8),
                        rs.getInt(9), resumed, ClaimGrant.attemptTypeFor(state), UUID.randomUUID(),
                        rs.getLong(10) + 1, attemptIndex, attemptId, attemptsStarted, deadline));
            }
        }
        return leases;
    }

    /** Writes the leases. */
    private static void lease(SqliteConnection connection, ClaimGrant grant, List<Lease> leases)
            throws SQLException {
        PreparedStatement ps = connection.prepare(LEASE_SQL);
        ps.setLong(1, grant.leaseTtlMs());
        ps.setLong(2, grant.nowMs());
        ps.setString(3, grant.workerId());
        ps.setString(4, grant.workerInstanceId());
        for (Lease l : leases) {
            ps.setString(5, l.leaseId.toString());
            ps.setLong(6, l.leaseEpoch);
            ps.setInt(7, l.attemptIndex);
            ps.setString(8, l.attemptId.toString());
            ps.setInt(9, l.attemptsStarted);
            ps.setInt(10, l.resumed ? 1 : 0);
            Rows.setLong(ps, 11, l.attemptDeadlineAtMs);
            ps.setLong(12, l.rowid);
            ps.executeUpdate();
        }
    }

    /** Re-leases the interrupted attempts of {@code rowids}; their types, by rowid. */
    private static Map<Long, AttemptType> release(SqliteConnection connection, ClaimGrant grant, List<Long> rowids)
            throws SQLException {
        String json = SqliteLeaseEvents.jsonArray(rowids);
        PreparedStatement update = connection.prepare(RELEASE_ATTEMPTS);
        update.setString(1, grant.attemptLifecycle().literal());
        update.setString(2, json);
        update.executeUpdate();
        PreparedStatement select = connection.prepare(RESUMED_TYPES);
        select.setString(1, json);
        Map<Long, AttemptType> types = new HashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                types.put(rs.getLong(1), AttemptType.fromLiteral(rs.getString(2)));
            }
        }
        return types;
    }

    /** Starts the new attempts of the rows that do not resume one, one statement per attempt type. */
    private static void startAttempts(SqliteConnection connection, ClaimGrant grant, List<Lease> leases)
            throws SQLException {
        Map<AttemptType, List<Long>> rowidsByType = new EnumMap<>(AttemptType.class);
        for (Lease l : leases) {
            if (!l.resumed) {
                rowidsByType.computeIfAbsent(l.newType, type -> new ArrayList<>()).add(l.rowid);
            }
        }
        for (Map.Entry<AttemptType, List<Long>> started : rowidsByType.entrySet()) {
            PreparedStatement ps = connection.prepare(START_ATTEMPTS);
            ps.setString(1, grant.attemptLifecycle().literal());
            ps.setLong(2, grant.nowMs());
            ps.setString(3, started.getKey().literal());
            ps.setString(4, SqliteLeaseEvents.jsonArray(started.getValue()));
            ps.executeUpdate();
        }
    }
}
