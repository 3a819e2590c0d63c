package io.flowfabric.postgres;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.DueQuery;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.ListQuery;
import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.StoreReads;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointQuery;
import io.flowfabric.internal.WaitpointRow;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The read statements, shared by plain reads and read-write transactions. */
class PgReads implements StoreReads {

    static final String SELECT_EXECUTION = "SELECT " + PgRows.SELECT_COLUMNS + """
            FROM ff_exec_core
            WHERE partition_key = $1 AND execution_id = $2
            """;

    static final String SELECT_ATTEMPTS = "SELECT " + PgRows.ATTEMPT_COLUMNS + """
            FROM ff_attempt
            WHERE partition_key = $1 AND execution_id = $2
            ORDER BY attempt_index
            """;

    /*
     * Listing filters: a null filter ($1 namespace, $2 lane, $3 public state) matches every row. The state
     * filter reports a delayed execution whose eligible_at_ms has passed ($4 = now) as waiting, because
     * the claim promotes it lazily and describe already shows it as waiting.
     */
    private static final String LIST_FILTER = """
            FROM ff_exec_core
            WHERE ($1::text IS NULL OR namespace = $1)
              AND ($2::text IS NULL OR lane_id = $2)
              AND ($3::text IS NULL
                   OR ($3 = 'waiting'
                       AND (public_state = 'waiting' OR (public_state = 'delayed' AND eligible_at_ms <= $4)))
                   OR ($3 = 'delayed' AND public_state = 'delayed' AND eligible_at_ms > $4)
                   OR ($3 NOT IN ('waiting', 'delayed') AND public_state = $3))
            """;

    /** The first page: {@code $5} is the page size. */
    static final String LIST_EXECUTIONS = "SELECT " + PgRows.SELECT_COLUMNS + LIST_FILTER + """
            ORDER BY created_at_ms, partition_key, execution_id
            LIMIT $5
            """;

    /**
     * A later page, strictly after the keyset position {@code ($6, $7, $8)}; a separate statement so the
     * row comparison can drive a range scan of ff_exec_core_list_idx.
     */
    static final String LIST_EXECUTIONS_AFTER = "SELECT " + PgRows.SELECT_COLUMNS + LIST_FILTER + """
              AND (created_at_ms, partition_key, execution_id) > ($6, $7, $8)
            ORDER BY created_at_ms, partition_key, execution_id
            LIMIT $5
            """;

    final PgSession session;
    final PgSignals signals;

    PgReads(PgSession session) {
        this.session = session;
        this.signals = new PgSignals(session);
    }

    @Override
    public Mono<ExecutionRow> findExecution(ExecutionId id) {
        return session.query(SELECT_EXECUTION, s -> bindId(s, id), PgRows::execution).next();
    }

    @Override
    public Flux<AttemptRow> findAttempts(ExecutionId id) {
        return session.query(SELECT_ATTEMPTS, s -> bindId(s, id), PgRows::attempt);
    }

    @Override
    public Flux<ExecutionRow> listExecutions(ListQuery query) {
        boolean firstPage = query.afterCreatedAtMs() == null;
        if (!firstPage && (query.afterPartitionKey() == null || query.afterExecutionId() == null)) {
            return Flux.error(new ValidationException(ValidationException.Kind.INVALID_CURSOR,
                    "a list position needs created_at_ms, partition_key and execution_id together"));
        }
        return session.query(firstPage ? LIST_EXECUTIONS : LIST_EXECUTIONS_AFTER, s -> bindList(s, query, firstPage),
                PgRows::execution);
    }

    @Override
    public Flux<ExecutionId> findDue(DueQuery query) {
        return PgDue.find(session, query);
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

    /** Binds {@code (partition_key, execution_id)} to {@code $1, $2}. */
    static Statement bindId(Statement statement, ExecutionId id) {
        return statement.bind(0, (short) id.partition()).bind(1, id.uuid());
    }

    private static void bindList(Statement s, ListQuery query, boolean firstPage) {
        bindNullable(s, 0, query.namespace());
        bindNullable(s, 1, query.laneId());
        bindNullable(s, 2, query.publicState() == null ? null : query.publicState().literal());
        s.bind(3, query.nowMs()).bind(4, query.limit());
        if (!firstPage) {
            s.bind(5, query.afterCreatedAtMs()).bind(6, query.afterPartitionKey().shortValue())
                    .bind(7, query.afterExecutionId());
        }
    }

    private static void bindNullable(Statement s, int index, String value) {
        if (value == null) {
            s.bindNull(index, String.class);
        } else {
            s.bind(index, value);
        }
    }
}
