package io.flowfabric.postgres;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.DueKind;
import io.flowfabric.internal.DueQuery;
import io.r2dbc.spi.Statement;
import java.util.EnumMap;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * The reconcilers' scans, one named statement per {@link DueKind}. Each repeats the predicate of its
 * partial index in {@code V3__reconciler_indexes.sql} (or, for suspensions and waitpoints,
 * {@code V4__waitpoints_signals.sql}) literally (so the planner can prove the index applies, also for a
 * generic plan) and orders by the index key, so a pass reads the due rows oldest first from the index and
 * stops at the limit. Rows are not locked: the reconciler locks and re-checks each row in its own
 * transaction.
 *
 * <p>Parameters: {@code $1} the time the condition compares with, {@code $2} namespace, {@code $3} tag
 * key and {@code $4} tag value (each null for no filter), {@code $5} the limit. The filters name
 * {@code ff_exec_core} columns unqualified; the joined tables have no columns of those names.
 */
final class PgDue {

    /** The optional filters and the limit; the filters are residual conditions of the index scan. */
    private static final String FILTERS = """
              AND ($2::text IS NULL OR namespace = $2)
              AND ($3::text IS NULL OR tags_json ->> $3 = $4::text)
            """;

    /** Active rows whose lease lapsed; index ff_exec_core_lease_expiry_idx. */
    static final String LEASE_EXPIRED = """
            SELECT partition_key, execution_id
            FROM ff_exec_core
            WHERE lifecycle_phase = 'active' AND ownership_state = 'leased'
              AND lease_expires_at_ms <= $1
            """ + FILTERS + """
            ORDER BY lease_expires_at_ms
            LIMIT $5
            """;

    /** Delayed runnable rows whose time has come; index ff_exec_core_delayed_idx. */
    static final String DELAY_DUE = """
            SELECT partition_key, execution_id
            FROM ff_exec_core
            WHERE lifecycle_phase = 'runnable' AND eligibility_state = 'not_eligible_until_time'
              AND eligible_at_ms <= $1
            """ + FILTERS + """
            ORDER BY eligible_at_ms
            LIMIT $5
            """;

    /** Active rows whose attempt ran past its timeout; index ff_exec_core_attempt_deadline_idx. */
    static final String ATTEMPT_TIMED_OUT = """
            SELECT partition_key, execution_id
            FROM ff_exec_core
            WHERE lifecycle_phase = 'active' AND attempt_deadline_at_ms IS NOT NULL
              AND attempt_deadline_at_ms <= $1
            """ + FILTERS + """
            ORDER BY attempt_deadline_at_ms
            LIMIT $5
            """;

    /** Non-terminal rows past their execution deadline; index ff_exec_core_deadline_idx. */
    static final String DEADLINE_PASSED = """
            SELECT partition_key, execution_id
            FROM ff_exec_core
            WHERE lifecycle_phase <> 'terminal' AND deadline_at_ms IS NOT NULL
              AND deadline_at_ms <= $1
            """ + FILTERS + """
            ORDER BY deadline_at_ms
            LIMIT $5
            """;

    /** Terminal rows that ended at or before the cutoff ($1 = now minus retention); ff_exec_core_retention_idx. */
    static final String RETENTION_DUE = """
            SELECT partition_key, execution_id
            FROM ff_exec_core
            WHERE lifecycle_phase = 'terminal'
              AND terminal_at_ms <= $1
            """ + FILTERS + """
            ORDER BY terminal_at_ms
            LIMIT $5
            """;

    /*
     * Suspended rows whose open suspension timed out: ff_suspension_timeout_idx in timeout order drives a
     * nested loop over the execution's primary key, which applies the phase and the filters.
     */
    static final String SUSPENSION_TIMED_OUT = """
            SELECT e.partition_key, e.execution_id
            FROM ff_suspension s
            JOIN ff_exec_core e ON e.partition_key = s.partition_key AND e.execution_id = s.execution_id
            WHERE s.closed_at_ms IS NULL AND s.timeout_at_ms IS NOT NULL
              AND s.timeout_at_ms <= $1
              AND e.lifecycle_phase = 'suspended'
            """ + FILTERS + """
            ORDER BY s.timeout_at_ms
            LIMIT $5
            """;

    /*
     * Rows with an expired pending waitpoint, each once, at its earliest pending expiry:
     * ff_waitpoint_expiry_idx in expiry order, keeping a waitpoint only when no pending waitpoint of the same
     * execution comes before it in (expires_at_ms, waitpoint_id) order. The anti-join looks at that one
     * execution's waitpoints through the primary key, so the scan still stops at the limit instead of
     * collecting and sorting every expired waitpoint as DISTINCT or GROUP BY would.
     */
    static final String WAITPOINT_EXPIRED = """
            SELECT e.partition_key, e.execution_id
            FROM ff_waitpoint w
            JOIN ff_exec_core e ON e.partition_key = w.partition_key AND e.execution_id = w.execution_id
            WHERE w.state = 'pending' AND w.expires_at_ms IS NOT NULL
              AND w.expires_at_ms <= $1
              AND NOT EXISTS (
                  SELECT 1
                  FROM ff_waitpoint earlier
                  WHERE earlier.partition_key = w.partition_key AND earlier.execution_id = w.execution_id
                    AND earlier.state = 'pending' AND earlier.expires_at_ms IS NOT NULL
                    AND (earlier.expires_at_ms, earlier.waitpoint_id) < (w.expires_at_ms, w.waitpoint_id))
            """ + FILTERS + """
            ORDER BY w.expires_at_ms
            LIMIT $5
            """;

    private static final Map<DueKind, String> STATEMENTS = statements();

    private PgDue() {
    }

    /** The statement of {@code kind}. */
    static String statement(DueKind kind) {
        return STATEMENTS.get(kind);
    }

    static Flux<ExecutionId> find(PgSession session, DueQuery query) {
        return Flux.defer(() -> {
            String sql = statement(query.kind());
            if (sql == null) {
                return Flux.error(new IllegalArgumentException("no due statement for " + query.kind()));
            }
            return session.query(sql, s -> bind(s, query), PgRows::executionId);
        });
    }

    private static void bind(Statement s, DueQuery query) {
        s.bind(0, query.nowMs());
        bindText(s, 1, query.namespace());
        bindText(s, 2, query.tagKey());
        bindText(s, 3, query.tagValue());
        s.bind(4, query.limit());
    }

    private static void bindText(Statement s, int index, String value) {
        if (value == null) {
            s.bindNull(index, String.class);
        } else {
            s.bind(index, value);
        }
    }

    private static Map<DueKind, String> statements() {
        Map<DueKind, String> map = new EnumMap<>(DueKind.class);
        map.put(DueKind.LEASE_EXPIRED, LEASE_EXPIRED);
        map.put(DueKind.DELAY_DUE, DELAY_DUE);
        map.put(DueKind.ATTEMPT_TIMED_OUT, ATTEMPT_TIMED_OUT);
        map.put(DueKind.DEADLINE_PASSED, DEADLINE_PASSED);
        map.put(DueKind.RETENTION_DUE, RETENTION_DUE);
        map.put(DueKind.SUSPENSION_TIMED_OUT, SUSPENSION_TIMED_OUT);
        map.put(DueKind.WAITPOINT_EXPIRED, WAITPOINT_EXPIRED);
        return Map.copyOf(map);
    }
}
