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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A claim that applies the core's {@link ClaimGrant} in SQL, inside one write transaction: a narrow read
 * picks the claimable rows in claim order; per row one {@code UPDATE} leases it (starting its next
 * attempt, or keeping an interrupted one); then one statement starts all the new attempt records, one
 * writes all the lease events and one reads what the claim answers ({@link #LEASED}), each reading the
 * leased rows by rowid from a JSON array. Nothing of a row crosses into Java before it is leased, and the
 * core's 45-column read, 34-column write and per-row inserts are gone. The per-row update is deliberate:
 * one {@code UPDATE ... FROM json_each(...)} for the whole batch measured slower in the claim benchmarks
 * than one short update per row, while the set-based inserts are cheaper than per-row ones.
 *
 * <p>No row can be taken by anyone else in between: SQLite has one writer, and the transaction holds it.
 * The writes are those of the core's own claim path ({@link ClaimGrant} lists them);
 * {@code SqliteGrantedPathsTest} checks both paths leave the same rows.
 */
final class SqliteClaim {

    /** The claimable rows, in claim order, with what decides how each is leased. */
    static final String PICK = "SELECT rowid, attempt_state, current_attempt_index IS NOT NULL AS has_attempt\n"
            + SqliteTx.CLAIMABLE;

    /*
     * ?1-?7: the target state columns and public state. ?8: lease ttl. ?9: now. ?10, ?11: worker and
     * instance. ?12: the new lease id. ?13: the new attempt id. ?14: 1 when the interrupted attempt resumes,
     * else 0. ?15: the row's rowid.
     */
    static final String LEASE = """
            UPDATE ff_exec_core SET
                lifecycle_phase = ?1, ownership_state = ?2, eligibility_state = ?3, blocking_reason = ?4,
                terminal_outcome = ?5, attempt_state = ?6, public_state = ?7, blocking_detail = NULL,
                lease_id = ?12, lease_epoch = lease_epoch + 1, lease_ttl_ms = ?8,
                lease_expires_at_ms = ?9 + ?8, lease_worker_id = ?10, lease_worker_instance_id = ?11,
                updated_at_ms = ?9, started_at_ms = coalesce(started_at_ms, ?9),
                current_attempt_index = CASE WHEN ?14 THEN current_attempt_index ELSE total_attempt_count END,
                current_attempt_id = CASE WHEN ?14 THEN current_attempt_id ELSE ?13 END,
                total_attempt_count = CASE WHEN ?14 THEN total_attempt_count ELSE total_attempt_count + 1 END,
                progress_pct = CASE WHEN ?14 THEN progress_pct END,
                progress_message = CASE WHEN ?14 THEN progress_message END,
                attempt_deadline_at_ms = CASE WHEN ?14 THEN attempt_deadline_at_ms
                                              ELSE ?9 + json_extract(policy_json, '$.attempt_timeout_ms') END,
                row_version = row_version + 1
            WHERE rowid = ?15""";

    /**
     * What the claim answers for the leased rows ({@link ClaimedRow}), read once for the batch after the
     * per-row updates. (A {@code RETURNING} on each update costs more: sqlite-jdbc looks up the names of
     * the result columns again for every statement that returns rows, and every column read is a JNI
     * call.) ?1: the rowids as a JSON array.
     */
    static final String LEASED = """
            SELECT rowid, partition_key, execution_id, execution_kind, lane_id, namespace, payload, tags_json,
                   priority, lease_id, lease_epoch, current_attempt_id, current_attempt_index,
                   lease_expires_at_ms, attempt_deadline_at_ms
            FROM ff_exec_core
            WHERE rowid IN (SELECT value FROM json_each(?1))""";

    /**
     * The new attempt records, from the leased rows, in claim order. ?1: lifecycle. ?2: now. ?3: the rows
     * as a JSON array of [rowid, attempt type].
     */
    static final String START_ATTEMPTS = """
            INSERT INTO ff_attempt (partition_key, execution_id, attempt_index, attempt_id, attempt_type,
                                    attempt_lifecycle, lease_id, lease_epoch, worker_id, worker_instance_id,
                                    started_at_ms)
            SELECT e.partition_key, e.execution_id, e.current_attempt_index, e.current_attempt_id, j.value ->> 1,
                   ?1, e.lease_id, e.lease_epoch, e.lease_worker_id, e.lease_worker_instance_id, ?2
            FROM json_each(?3) AS j
            JOIN ff_exec_core AS e ON e.rowid = j.value ->> 0
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
        List<Picked> picked = pick(connection, query, grant);
        if (picked.isEmpty()) {
            return List.of();
        }
        List<Long> rowids = picked.stream().map(Picked::rowid).toList();
        String rowidsJson = SqliteLeaseEvents.jsonArray(rowids);
        lease(connection, grant, picked);
        List<Picked> started = picked.stream().filter(p -> !p.resumed).toList();
        List<Long> resumed = picked.stream().filter(Picked::resumed).map(Picked::rowid).toList();
        if (!started.isEmpty()) {
            PreparedStatement ps = connection.prepare(START_ATTEMPTS);
            ps.setString(1, grant.attemptLifecycle().literal());
            ps.setLong(2, grant.nowMs());
            ps.setString(3, startedJson(started));
            ps.executeUpdate();
        }
        Map<Long, AttemptType> resumedTypes = resumed.isEmpty() ? Map.of() : release(connection, grant, resumed);
        SqliteLeaseEvents.append(connection, grant.eventType(), grant.nowMs(), rowidsJson);
        Map<Long, ClaimedRow> leased = leased(connection, rowidsJson, picked, resumedTypes);
        List<ClaimedRow> claimed = new ArrayList<>(picked.size());
        for (Picked p : picked) {
            ClaimedRow row = leased.get(p.rowid);
            if (row == null) {
                throw new IllegalStateException("claimed row " + p.rowid + " vanished within its transaction");
            }
            claimed.add(row);
        }
        return claimed;
    }

    /** A picked row: whether its interrupted attempt resumes, else the type of the attempt it starts. */
    private record Picked(long rowid, boolean resumed, AttemptType newType) {
    }

    private static List<Picked> pick(SqliteConnection connection, ClaimQuery query, ClaimGrant grant)
            throws SQLException {
        PreparedStatement ps = connection.prepare(PICK);
        ps.setString(1, query.namespace());
        ps.setString(2, query.laneId());
        ps.setLong(3, query.nowMs());
        ps.setString(4, Rows.capabilitiesJson(query.capabilities()));
        ps.setInt(5, query.limit());
        List<Picked> picked = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                AttemptState state = AttemptState.fromLiteral(rs.getString(2));
                boolean resumed = state == grant.resumableState() && rs.getBoolean(3);
                picked.add(new Picked(rs.getLong(1), resumed, ClaimGrant.attemptTypeFor(state)));
            }
        }
        return picked;
    }

    /** Leases the picked rows. */
    private static void lease(SqliteConnection connection, ClaimGrant grant, List<Picked> picked)
            throws SQLException {
        PreparedStatement ps = connection.prepare(LEASE);
        Rows.bindState(ps, 1, grant.target());
        ps.setLong(8, grant.leaseTtlMs());
        ps.setLong(9, grant.nowMs());
        ps.setString(10, grant.workerId());
        ps.setString(11, grant.workerInstanceId());
        for (Picked p : picked) {
            ps.setString(12, UUID.randomUUID().toString());
            ps.setString(13, UUID.randomUUID().toString());
            ps.setInt(14, p.resumed ? 1 : 0);
            ps.setLong(15, p.rowid);
            ps.executeUpdate();
        }
    }

    /** The claim answers for the leased rows, by rowid. */
    private static Map<Long, ClaimedRow> leased(SqliteConnection connection, String rowidsJson, List<Picked> picked,
            Map<Long, AttemptType> resumedTypes) throws SQLException {
        Map<Long, Picked> byRowid = new HashMap<>();
        picked.forEach(p -> byRowid.put(p.rowid, p));
        PreparedStatement ps = connection.prepare(LEASED);
        ps.setString(1, rowidsJson);
        Map<Long, ClaimedRow> rows = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long rowid = rs.getLong(1);
                ExecutionId id = new ExecutionId(rs.getInt(2), UUID.fromString(rs.getString(3)));
                Picked p = byRowid.get(rowid);
                AttemptType type = p.resumed ? resumedTypes.get(rowid) : p.newType;
                if (type == null) {
                    throw new IllegalStateException("the interrupted attempt of " + id + " has no record");
                }
                rows.put(rowid, new ClaimedRow(id, rs.getString(4), rs.getString(5), rs.getString(6),
                        Rows.bytes(rs, 7), rs.getString(8), rs.getInt(9), UUID.fromString(rs.getString(10)),
                        rs.getLong(11), UUID.fromString(rs.getString(12)), rs.getInt(13), rs.getLong(14),
                        Rows.getLong(rs, 15), type, p.resumed));
            }
        }
        return rows;
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

    /** The started rows as the JSON array of [rowid, attempt type] that {@link #START_ATTEMPTS} reads. */
    private static String startedJson(List<Picked> started) {
        StringBuilder json = new StringBuilder(started.size() * 24).append('[');
        for (Picked p : started) {
            json.append(json.length() == 1 ? "[" : ",[").append(p.rowid).append(",\"")
                    .append(p.newType.literal()).append("\"]");
        }
        return json.append(']').toString();
    }
}
