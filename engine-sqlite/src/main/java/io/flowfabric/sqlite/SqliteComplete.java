package io.flowfabric.sqlite;

import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.internal.CompletionGrant;
import io.flowfabric.internal.PolicyCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Successful completions that apply the core's {@link CompletionGrant} in SQL, inside one write transaction:
 * per request one {@code UPDATE ... RETURNING} completes the execution only when the request's fence holds
 * the live lease, then one statement each ends the completed executions' attempts and writes their lease
 * and completion events, reading the completed rows by rowid from a JSON array. No row is read into Java
 * first. Requests the update does not match (a stale or repeated fence, a lapsed lease, a missing
 * execution) are left untouched for the core to judge; a second request for an execution completed earlier
 * in the batch no longer matches, because the row is no longer active. (One {@code UPDATE ... FROM
 * json_each(...)} for all requests measured about half as fast as these per-request updates.)
 */
final class SqliteComplete {

    /*
     * ?1-?7: the target state columns and public state. ?8: now. ?9: the active phase. ?10: the lapsed
     * ownership states as a JSON array. ?11: the result. ?12, ?13: the key. ?14-?16: the fence (lease id,
     * epoch, attempt id).
     */
    static final String COMPLETE = """
            UPDATE ff_exec_core SET
                lifecycle_phase = ?1, ownership_state = ?2, eligibility_state = ?3, blocking_reason = ?4,
                terminal_outcome = ?5, attempt_state = ?6, public_state = ?7,
                terminal_at_ms = ?8, updated_at_ms = ?8,
                lease_expires_at_ms = NULL, attempt_deadline_at_ms = NULL,
                result = ?11,
                row_version = row_version + 1
            WHERE partition_key = ?12 AND execution_id = ?13
              AND lease_id = ?14 AND lease_epoch = ?15 AND current_attempt_id = ?16
              AND lifecycle_phase = ?9
              AND ownership_state NOT IN (SELECT value FROM json_each(?10))
              AND lease_expires_at_ms > ?8
            RETURNING rowid""";

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
        PreparedStatement ps = connection.prepare(COMPLETE);
        bind(ps, grant);
        TreeMap<Integer, Long> completed = new TreeMap<>();
        for (int i = 0; i < requests.size(); i++) {
            CompleteExecution r = requests.get(i);
            ps.setBytes(11, r.result().bytes());
            ps.setInt(12, r.executionId().partition());
            ps.setString(13, r.executionId().uuid().toString());
            ps.setString(14, r.fence().leaseId().value().toString());
            ps.setLong(15, r.fence().leaseEpoch());
            ps.setString(16, r.fence().attemptId().value().toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    completed.put(i, rs.getLong(1));
                }
            }
        }
        if (completed.isEmpty()) {
            return List.of();
        }
        List<Long> completedRows = new ArrayList<>(completed.values());
        String rowids = SqliteLeaseEvents.jsonArray(completedRows);
        PreparedStatement end = connection.prepare(END_ATTEMPTS);
        end.setString(1, grant.attemptLifecycle().literal());
        end.setLong(2, grant.nowMs());
        end.setString(3, rowids);
        end.executeUpdate();
        SqliteLeaseEvents.append(connection, grant.leaseEventType(), grant.nowMs(), completedRows);
        PreparedStatement events = connection.prepare(COMPLETION_EVENTS);
        events.setLong(1, grant.nowMs());
        events.setString(2, rowids);
        events.executeUpdate();
        return new ArrayList<>(completed.keySet());
    }

    /** Binds what every request shares; each request then binds ?11-?16. */
    private static void bind(PreparedStatement ps, CompletionGrant grant) throws SQLException {
        Rows.bindState(ps, 1, grant.target());
        ps.setLong(8, grant.nowMs());
        ps.setString(9, grant.activePhase().literal());
        ps.setString(10, PolicyCodec.encodeStrings(grant.lapsedOwnership().stream().map(OwnershipState::literal)
                .toList()));
    }
}
