package io.flowfabric.postgres;

/**
 * The lease events the one-statement paths ({@link PgClaim}, {@link PgComplete}) write in SQL, with the
 * columns and details {@code Events.lease} gives them in Java: lease id, epoch, attempt index and worker
 * instance, every value as text.
 */
final class PgLeaseEvents {
    private PgLeaseEvents() {
    }

    /**
     * A CTE {@code lease_events} inserting one event per row of the CTE {@code source}, which must return
     * the execution's key, namespace, tags and lease columns after the change.
     *
     * @param typeParam the parameter holding the event type, e.g. {@code $23}
     * @param nowParam the parameter holding the event time
     * @param order the ORDER BY that sets the events' order in the feed
     */
    static String cte(String source, String typeParam, String nowParam, String order) {
        return """
                lease_events AS (
                    INSERT INTO ff_lease_event (partition_key, execution_id, namespace, event_type, tags_json,
                                                occurred_at_ms, details_json)
                    SELECT partition_key, execution_id, namespace, %s, tags_json, %s,
                           jsonb_build_object('lease_id', lease_id::text, 'lease_epoch', lease_epoch::text,
                                              'attempt_index', current_attempt_index::text,
                                              'worker_instance_id', lease_worker_instance_id)
                    FROM %s
                    ORDER BY %s
                )""".formatted(typeParam, nowParam, source, order);
    }
}
