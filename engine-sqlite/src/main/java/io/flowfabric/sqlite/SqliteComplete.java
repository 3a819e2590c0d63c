package io.flowfabric.sqlite;

import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.internal.CompletionGrant;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Successful completions that apply the core's {@link CompletionGrant} in SQL, inside one write transaction,
 * with four statements per batch: one {@code UPDATE ... FROM json_each(...) RETURNING} completes every
 * execution whose request's fence holds the live lease, then one statement each ends their attempts and
 * writes their lease and completion events, reading the completed rows by rowid. No row is read into Java
 * first. Requests the update does not match (a stale or repeated fence, a lapsed lease, a missing
 * execution) are left untouched for the core to judge. Of several requests for one execution, the update
 * applies one; the lowest-indexed request carrying the fence it matched is the one reported completed.
 */
final class SqliteComplete {

    /*
     * ?1-?7: the target state columns and public state. ?8: now. ?9: the active phase. ?10: the lapsed
     * ownership states as a JSON array. ?11: the requests as a JSON array of
     * [partition key, execution id, lease id, lease epoch, attempt id, result as hex].
     */
    static final String COMPLETE = """
            UPDATE ff_exec_core AS e SET
                lifecycle_phase = ?1, ownership_state = ?2, eligibility_state = ?3, blocking_reason = ?4,
                terminal_outcome = ?5, attempt_state = ?6, public_state = ?7,
                terminal_at_ms = ?8, updated_at_ms = ?8,
                lease_expires_at_ms = NULL, attempt_deadline_at_ms = NULL,
                result = unhex(r.value ->> 5),
                row_version = e.row_version + 1
            FROM json_each(?11) AS r
            WHERE e.partition_key = r.value ->> 0 AND e.execution_id = r.value ->> 1
              AND e.lease_id = r.value ->> 2 AND e.lease_epoch = r.value ->> 3
              AND e.current_attempt_id = r.value ->> 4
              AND e.lifecycle_phase = ?9
              AND e.ownership_state NOT IN (SELECT value FROM json_each(?10))
              AND e.lease_expires_at_ms > ?8
            RETURNING rowid, partition_key, execution_id, lease_id, lease_epoch, current_attempt_id""";

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
        bind(ps, requests, grant);
        Map<String, List<Integer>> byExecution = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            byExecution.computeIfAbsent(requests.get(i).executionId().uuid().toString(), k -> new ArrayList<>()).add(i);
        }
        TreeMap<Integer, Long> completed = new TreeMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                completed.put(requestOf(requests, byExecution, rs), rs.getLong(1));
            }
        }
        if (completed.isEmpty()) {
            return List.of();
        }
        String rowids = SqliteLeaseEvents.jsonArray(new ArrayList<>(completed.values()));
        PreparedStatement end = connection.prepare(END_ATTEMPTS);
        end.setString(1, grant.attemptLifecycle().literal());
        end.setLong(2, grant.nowMs());
        end.setString(3, rowids);
        end.executeUpdate();
        SqliteLeaseEvents.append(connection, grant.leaseEventType(), grant.nowMs(),
                new ArrayList<>(completed.values()));
        PreparedStatement events = connection.prepare(COMPLETION_EVENTS);
        events.setLong(1, grant.nowMs());
        events.setString(2, rowids);
        events.executeUpdate();
        return new ArrayList<>(completed.keySet());
    }

    private static void bind(PreparedStatement ps, List<CompleteExecution> requests, CompletionGrant grant)
            throws SQLException {
        Rows.bindState(ps, 1, grant.target());
        ps.setLong(8, grant.nowMs());
        ps.setString(9, grant.activePhase().literal());
        ps.setString(10, Rows.capabilitiesJson(grant.lapsedOwnership().stream().map(OwnershipState::literal)
                .toList()));
        ps.setString(11, requestsJson(requests));
    }

    /** The requests as JSON; ids and literals need no escaping, results travel as hex. */
    private static String requestsJson(List<CompleteExecution> requests) {
        HexFormat hex = HexFormat.of();
        StringBuilder json = new StringBuilder(requests.size() * 160).append('[');
        for (int i = 0; i < requests.size(); i++) {
            CompleteExecution r = requests.get(i);
            json.append(i == 0 ? "[" : ",[")
                    .append(r.executionId().partition()).append(",\"").append(r.executionId().uuid())
                    .append("\",\"").append(r.fence().leaseId().value()).append("\",")
                    .append(r.fence().leaseEpoch()).append(",\"").append(r.fence().attemptId().value())
                    .append("\",\"").append(hex.formatHex(r.result().bytes())).append("\"]");
        }
        return json.append(']').toString();
    }

    /** The lowest index of a request for the returned row that carries the fence it matched. */
    private static int requestOf(List<CompleteExecution> requests, Map<String, List<Integer>> byExecution,
            ResultSet rs) throws SQLException {
        int partition = rs.getInt(2);
        String execution = rs.getString(3);
        String lease = rs.getString(4);
        long epoch = rs.getLong(5);
        String attempt = rs.getString(6);
        for (int i : byExecution.getOrDefault(execution, List.of())) {
            CompleteExecution r = requests.get(i);
            if (r.executionId().partition() == partition
                    && r.fence().leaseId().value().toString().equals(lease) && r.fence().leaseEpoch() == epoch
                    && Objects.equals(r.fence().attemptId().value().toString(), attempt)) {
                return i;
            }
        }
        throw new IllegalStateException("completed execution " + execution + " matches no request");
    }
}
