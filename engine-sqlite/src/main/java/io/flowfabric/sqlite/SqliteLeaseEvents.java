package io.flowfabric.sqlite;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The lease events the granted paths ({@link SqliteClaim}, {@link SqliteComplete}) write in SQL, with the
 * columns and details {@code Events.lease} gives them in Java: lease id, epoch, attempt index and worker
 * instance, every value as text, in that key order.
 */
final class SqliteLeaseEvents {

    /**
     * One lease event per row, from the row as it is now, in the order of the rowids. ?1: event type.
     * ?2: time. ?3: the rows' rowids as a JSON array.
     */
    static final String APPEND = """
            INSERT INTO ff_lease_event (partition_key, execution_id, namespace, event_type, tags_json,
                                        occurred_at_ms, details_json)
            SELECT e.partition_key, e.execution_id, e.namespace, ?1, e.tags_json, ?2,
                   json_object('lease_id', e.lease_id, 'lease_epoch', CAST(e.lease_epoch AS TEXT),
                               'attempt_index', CAST(e.current_attempt_index AS TEXT),
                               'worker_instance_id', e.lease_worker_instance_id)
            FROM json_each(?3) AS j
            JOIN ff_exec_core AS e ON e.rowid = j.value
            ORDER BY j.key""";

    private SqliteLeaseEvents() {
    }

    /** Appends one event per row of {@code rowidsJson} (a JSON array, see {@link #jsonArray}). */
    static void append(SqliteConnection connection, String eventType, long nowMs, String rowidsJson)
            throws SQLException {
        PreparedStatement ps = connection.prepare(APPEND);
        ps.setString(1, eventType);
        ps.setLong(2, nowMs);
        ps.setString(3, rowidsJson);
        ps.executeUpdate();
    }

    /** The JSON array of some numbers, e.g. {@code [3,1,2]}. */
    static String jsonArray(List<Long> numbers) {
        StringBuilder json = new StringBuilder(numbers.size() * 8).append('[');
        for (int i = 0; i < numbers.size(); i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(numbers.get(i));
        }
        return json.append(']').toString();
    }
}
