package io.flowfabric.sqlite;

import io.flowfabric.api.CompleteExecution;
import io.flowfabric.internal.CompletionGrant;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Successful completions that apply the core's {@link CompletionGrant} in SQL, inside one write transaction:
 * per request one {@code UPDATE} completes the execution only when the request's fence holds the live lease
 * (its update count tells), finding the row by the rowid the claim left in {@link RowidHints} where there is
 * one; then one query finds the rowids of rows completed without a hint, and one statement each ends the
 * attempts and writes the lease and completion events, reading the rows by rowid from a JSON array. No row
 * is read into Java. Requests the update does not match (a stale or repeated fence, a lapsed lease, a
 * missing execution) are left untouched for the core to judge; a second request for an execution completed
 * earlier in the batch no longer matches, because the row is no longer active. (One
 * {@code UPDATE ... FROM json_each(...)} for all requests measured about half as fast as these per-request
 * updates.)
 */
final class SqliteComplete {

    /*
     * The completion update for one grant's states (target state columns, active phase and lapsed ownership
     * states as literals, see Rows.stateAssignments), finding the row by the key or, when the writer knows
     * the rowid it leased (RowidHints), by rowid and key. ?1: now. ?2: the result. ?3, ?4: the key. ?5-?7: the
     * fence (lease id, epoch, attempt id). ?8: the rowid, in the by-rowid form. No RETURNING: SQLite buffers
     * returned rows in a temporary table, and the driver reads the result's column names on every call; the
     * update count says whether the request completed.
     */
    private static final String COMPLETE = """
            UPDATE ff_exec_core SET
                %s,
                terminal_at_ms = ?1, updated_at_ms = ?1,
                lease_expires_at_ms = NULL, attempt_deadline_at_ms = NULL,
                result = ?2,
                row_version = row_version + 1
            WHERE %s
              AND lease_id = ?5 AND lease_epoch = ?6 AND current_attempt_id = ?7
              AND lifecycle_phase = %s
              AND ownership_state NOT IN (%s)
              AND lease_expires_at_ms > ?1""";

    private static final String BY_KEY = "partition_key = ?3 AND execution_id = ?4";
    private static final String BY_ROWID_AND_KEY = "rowid = ?8 AND partition_key = ?3 AND execution_id = ?4";

    /**
     * The two forms of {@link #COMPLETE}, built once: the states a completion grant writes and checks are the
     * same for every grant (constants of {@link CompletionGrant}), so they are part of the text.
     */
    private static final String COMPLETE_BY_KEY = completeSql(new CompletionGrant(0), BY_KEY);
    private static final String COMPLETE_BY_ROWID = completeSql(new CompletionGrant(0), BY_ROWID_AND_KEY);

    /** The rowids of some keys, in their order. ?1: the keys as a JSON array of [partition, execution id]. */
    static final String COMPLETED_ROWIDS = """
            SELECT e.rowid
            FROM json_each(?1) AS j
            JOIN ff_exec_core AS e ON e.partition_key = j.value ->> 0 AND e.execution_id = j.value ->> 1
            ORDER BY j.key""";

    /** Ends the current attempts of the completed rows. ?1: lifecycle. ?2: now. ?3: rowids as JSON array. */
    static final String END_ATTEMPTS = """
            UPDATE ff_attempt AS a SET
                attempt_lifecycle = ?1, ended_at_ms = ?2, error_type = NULL, error_message = NULL
            FROM ff_exec_core AS e
            WHERE e.rowid IN (SELECT value FROM json_each(?3))
              AND a.partition_key = e.partition_key AND a.execution_id = e.execution_id
              AND a.attempt_index = e.current_attempt_index""";

    /**
     * The completion events, typed by the terminal outcome, with empty details, in the order of the rowids.
     * ?1: time. ?2: rowids as a JSON array.
     */
    static final String COMPLETION_EVENTS = """
            INSERT INTO ff_completion_event (partition_key, execution_id, namespace, event_type, tags_json,
                                             occurred_at_ms, details_json)
            SELECT e.partition_key, e.execution_id, e.namespace, e.terminal_outcome, e.tags_json, ?1, '{}'
            FROM json_each(?2) AS j
            JOIN ff_exec_core AS e ON e.rowid = j.value
            ORDER BY j.key""";

    private SqliteComplete() {
    }

    /** Completes on the writer connection, inside the caller's transaction; the indexes it completed. */
    static List<Integer> complete(SqliteConnection connection, List<CompleteExecution> requests,
            CompletionGrant grant) throws SQLException {
        PreparedStatement byKey = update(connection, grant, false);
        PreparedStatement byRowid = update(connection, grant, true);
        RowidHints hints = connection.rowidHints();
        List<Integer> completed = new ArrayList<>();
        long[] rowids = new long[requests.size()];
        List<Integer> unresolved = new ArrayList<>();
        StringBuilder keys = new StringBuilder().append('[');
        for (int i = 0; i < requests.size(); i++) {
            CompleteExecution r = requests.get(i);
            Long hint = hints.take(r.executionId());
            if (hint != null) {
                bind(byRowid, r).setLong(8, hint);
                if (byRowid.executeUpdate() == 1) {
                    completed.add(i);
                    rowids[i] = hint;
                    continue;
                }
            }
            // No hint, or one that did not match: by the key alone (its rowid is looked up after the loop).
            if (bind(byKey, r).executeUpdate() == 1) {
                completed.add(i);
                unresolved.add(i);
                keys.append(keys.length() == 1 ? "[" : ",[").append(r.executionId().partition()).append(",\"")
                        .append(r.executionId().uuid()).append("\"]");
            }
        }
        if (completed.isEmpty()) {
            return completed;
        }
        if (!unresolved.isEmpty()) {
            List<Long> found = rowids(connection, keys.append(']').toString());
            for (int k = 0; k < unresolved.size(); k++) {
                rowids[unresolved.get(k)] = found.get(k);
            }
        }
        String rowidsJson = SqliteLeaseEvents.jsonArray(completed.stream().map(i -> rowids[i]).toList());
        PreparedStatement end = connection.prepare(END_ATTEMPTS);
        end.setString(1, grant.attemptLifecycle().literal());
        end.setLong(2, grant.nowMs());
        end.setString(3, rowidsJson);
        end.executeUpdate();
        SqliteLeaseEvents.append(connection, grant.leaseEventType(), grant.nowMs(), rowidsJson);
        PreparedStatement events = connection.prepare(COMPLETION_EVENTS);
        events.setLong(1, grant.nowMs());
        events.setString(2, rowidsJson);
        events.executeUpdate();
        return completed;
    }

    private static PreparedStatement update(SqliteConnection connection, CompletionGrant grant, boolean byRowid)
            throws SQLException {
        PreparedStatement ps = connection.prepare(byRowid ? COMPLETE_BY_ROWID : COMPLETE_BY_KEY);
        ps.setLong(1, grant.nowMs());
        return ps;
    }

    private static String completeSql(CompletionGrant states, String rowCondition) {
        return COMPLETE.formatted(Rows.stateAssignments(states.target()), rowCondition,
                Rows.literal(states.activePhase().literal()), states.lapsedOwnership().stream()
                        .map(state -> Rows.literal(state.literal())).collect(Collectors.joining(", ")));
    }

    /** Binds a request's result, key and fence (?2-?7). */
    private static PreparedStatement bind(PreparedStatement ps, CompleteExecution r) throws SQLException {
        ps.setBytes(2, r.result().bytes());
        ps.setInt(3, r.executionId().partition());
        ps.setString(4, r.executionId().uuid().toString());
        ps.setString(5, r.fence().leaseId().value().toString());
        ps.setLong(6, r.fence().leaseEpoch());
        ps.setString(7, r.fence().attemptId().value().toString());
        return ps;
    }

    private static List<Long> rowids(SqliteConnection connection, String keysJson) throws SQLException {
        PreparedStatement ps = connection.prepare(COMPLETED_ROWIDS);
        ps.setString(1, keysJson);
        List<Long> rowids = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rowids.add(rs.getLong(1));
            }
        }
        return rowids;
    }
}
