package io.flowfabric.postgres;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.AttemptEnd;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.OutboxRow;
import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.StoreTx;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointRow;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The statements of one read-write transaction, bound to the connection {@link PgStore} opened it on; the
 * reads are inherited from {@link PgReads}. Every statement is a named constant; values are bound as
 * {@code $n} parameters.
 */
final class PgTx extends PgReads implements StoreTx {

    static final String LOCK_EXECUTION = PgReads.SELECT_EXECUTION + "FOR UPDATE";

    /** Binds {@code $1..$44} as {@link PgRows#bindExecution}; inserts nothing when the id exists. */
    static final String INSERT_EXECUTION = "INSERT INTO ff_exec_core (" + PgRows.EXECUTION_COLUMNS + """
            ) VALUES (
                $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
                $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39,
                $40, $41, $42, $43, $44)
            ON CONFLICT (partition_key, execution_id) DO NOTHING
            """;

    /*
     * The rows of a batch, locked in key order: LockRows runs above the sort, so two transactions locking
     * overlapping sets take the locks in the same order and cannot deadlock. Both key columns are matched
     * with = ANY so even a generic plan probes the primary key; a row whose pair was not asked for (same
     * uuid in another partition, which ids never produce) is dropped by the caller.
     */
    static final String SELECT_EXECUTIONS = "SELECT " + PgRows.SELECT_COLUMNS + """
            FROM ff_exec_core
            WHERE partition_key = ANY($1::smallint[]) AND execution_id = ANY($2::uuid[])
            ORDER BY partition_key, execution_id
            """;

    static final String LOCK_EXECUTIONS = SELECT_EXECUTIONS + "FOR UPDATE\n";

    /*
     * The claim scan (also the first step of PgClaim's statement). lifecycle_phase = 'runnable' plus namespace and lane match the partial index
     * ff_exec_core_claim_idx, whose key order (priority DESC, created_at_ms, execution_id) is the ORDER BY,
     * so the scan stops after $5 unlocked matches. A delayed row whose time has come is claimable: the
     * claim promotes it, no reconciler has to run first.
     */
    static final String CLAIMABLE = """
            FROM ff_exec_core
            WHERE namespace = $1
              AND lane_id = $2
              AND lifecycle_phase = 'runnable'
              AND ownership_state = 'unowned'
              AND eligibility_state IN ('eligible_now', 'not_eligible_until_time')
              AND eligible_at_ms <= $3
              AND required_capabilities <@ $4::text[]
            ORDER BY priority DESC, created_at_ms, execution_id
            LIMIT $5
            FOR UPDATE SKIP LOCKED
            """;

    static final String LOCK_CLAIMABLE = "SELECT " + PgRows.SELECT_COLUMNS + CLAIMABLE;

    /*
     * Reclaimable rows: a lapsed or revoked lease of the namespace and lane, in claim order. The predicate
     * and ORDER BY match the partial index ff_exec_core_reclaim_idx, so the scan reads only such rows and
     * stops after $4 unlocked matches.
     */
    static final String LOCK_RECLAIMABLE = "SELECT " + PgRows.SELECT_COLUMNS + """
            FROM ff_exec_core
            WHERE namespace = $1
              AND lane_id = $2
              AND lifecycle_phase = 'active'
              AND ownership_state IN ('lease_expired_reclaimable', 'lease_revoked')
              AND required_capabilities <@ $3::text[]
            ORDER BY priority DESC, created_at_ms, execution_id
            LIMIT $4
            FOR UPDATE SKIP LOCKED
            """;

    /**
     * An execution with its attempts, waitpoints, suspensions and signals, and the idempotency keys that
     * still point to it (a key an expired reservation handed to another execution stays), in one statement.
     * Outbox rows are trimmed by age.
     */
    static final String DELETE_EXECUTION = """
            WITH keys AS (
                DELETE FROM ff_idempotency_key WHERE partition_key = $1 AND execution_id = $2
            ), attempts AS (
                DELETE FROM ff_attempt WHERE partition_key = $1 AND execution_id = $2
            ), waitpoints AS (
                DELETE FROM ff_waitpoint WHERE partition_key = $1 AND execution_id = $2
            ), suspensions AS (
                DELETE FROM ff_suspension WHERE partition_key = $1 AND execution_id = $2
            ), signals AS (
                DELETE FROM ff_signal WHERE partition_key = $1 AND execution_id = $2
            )
            DELETE FROM ff_exec_core WHERE partition_key = $1 AND execution_id = $2
            """;

    /*
     * Up to $2 keys that expired at or before $1, oldest first from ff_idempotency_key_expiry_idx. The
     * keys are locked first and keys another transaction holds (a reservation replacing one right now)
     * are skipped; the delete re-checks the expiry.
     */
    static final String DELETE_EXPIRED_IDEMPOTENCY_KEYS = """
            WITH due AS (
                SELECT namespace, idempotency_key
                FROM ff_idempotency_key
                WHERE expires_at_ms <= $1
                ORDER BY expires_at_ms
                LIMIT $2
                FOR UPDATE SKIP LOCKED
            )
            DELETE FROM ff_idempotency_key k
            USING due
            WHERE k.namespace = due.namespace AND k.idempotency_key = due.idempotency_key
              AND k.expires_at_ms <= $1
            """;

    /** Binds {@code $1..$14} as {@link PgRows#bindAttempt}: the key is $1, $2, $3. */
    static final String UPDATE_ATTEMPT = """
            UPDATE ff_attempt SET
                attempt_id = $4, attempt_type = $5, attempt_lifecycle = $6, lease_id = $7, lease_epoch = $8,
                worker_id = $9, worker_instance_id = $10, started_at_ms = $11, ended_at_ms = $12,
                error_type = $13, error_message = $14
            WHERE partition_key = $1 AND execution_id = $2 AND attempt_index = $3
            """;

    static final String SELECT_ATTEMPT = "SELECT " + PgRows.ATTEMPT_COLUMNS + """
            FROM ff_attempt
            WHERE partition_key = $1 AND execution_id = $2 AND attempt_index = $3
            """;

    /*
     * Takes the key for the candidate ($3, $4) unless a live reservation holds it. On conflict the existing
     * row is locked and only replaced when it has expired ($6 = now), so concurrent reservations of one key
     * serialise here. No row returned means a live reservation won.
     */
    static final String RESERVE_IDEMPOTENCY_KEY = """
            INSERT INTO ff_idempotency_key (namespace, idempotency_key, partition_key, execution_id, expires_at_ms)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (namespace, idempotency_key) DO UPDATE
                SET partition_key = EXCLUDED.partition_key,
                    execution_id = EXCLUDED.execution_id,
                    expires_at_ms = EXCLUDED.expires_at_ms
                WHERE ff_idempotency_key.expires_at_ms <= $6
            RETURNING partition_key, execution_id
            """;

    /** The live owner of a key; read after {@link #RESERVE_IDEMPOTENCY_KEY} returned no row. */
    static final String SELECT_IDEMPOTENCY_OWNER = """
            SELECT partition_key, execution_id
            FROM ff_idempotency_key
            WHERE namespace = $1 AND idempotency_key = $2
            """;

    PgTx(PgSession session) {
        super(session);
    }

    /** Sends the batched writes now rather than with the next statement or the COMMIT. */
    Mono<Void> flush() {
        return session.flushWrites().then();
    }

    /** Without a lock in an optimistic session: its write is guarded by the row version instead. */
    @Override
    public Mono<ExecutionRow> lockExecution(ExecutionId id) {
        return session.query(session.isOptimistic() ? SELECT_EXECUTION : LOCK_EXECUTION, s -> PgReads.bindId(s, id),
                PgRows::execution).next();
    }

    @Override
    public Mono<Boolean> insertExecution(ExecutionRow row) {
        return session.update(INSERT_EXECUTION, s -> PgRows.bindExecution(s, row)).map(count -> count == 1L);
    }

    /** Batched: sent with the transaction's next statement or before its COMMIT ({@link PgWriteBatch}). */
    @Override
    public Mono<Void> updateExecution(ExecutionRow row) {
        return Mono.fromRunnable(() -> session.writes().updateExecution(row));
    }

    @Override
    public Flux<ExecutionRow> lockExecutions(List<ExecutionId> ids) {
        Set<ExecutionId> asked = Set.copyOf(ids);
        return buffered(session.query(session.isOptimistic() ? SELECT_EXECUTIONS : LOCK_EXECUTIONS, s -> s
                .bind(0, ids.stream().map(id -> (short) id.partition()).distinct().toArray(Short[]::new))
                .bind(1, ids.stream().map(ExecutionId::uuid).distinct().toArray(UUID[]::new)), PgRows::execution))
                .filter(row -> asked.contains(row.id()));
    }

    @Override
    public Flux<ExecutionRow> lockClaimable(ClaimQuery query) {
        return buffered(session.query(LOCK_CLAIMABLE, s -> s.bind(0, query.namespace()).bind(1, query.laneId())
                .bind(2, query.nowMs()).bind(3, PgRows.capabilities(query.capabilities()))
                .bind(4, query.limit()), PgRows::execution));
    }

    @Override
    public Flux<ExecutionRow> lockReclaimable(ClaimQuery query) {
        return buffered(session.query(LOCK_RECLAIMABLE, s -> s.bind(0, query.namespace()).bind(1, query.laneId())
                .bind(2, PgRows.capabilities(query.capabilities())).bind(3, query.limit()), PgRows::execution));
    }

    @Override
    public Mono<Void> deleteExecution(ExecutionId id) {
        return session.update(DELETE_EXECUTION, s -> PgReads.bindId(s, id)).then();
    }

    @Override
    public Mono<Long> deleteExpiredIdempotencyKeys(long nowMs, int limit) {
        return session.update(DELETE_EXPIRED_IDEMPOTENCY_KEYS, s -> s.bind(0, nowMs).bind(1, limit));
    }

    /** Batched, as {@link #updateExecution}. */
    @Override
    public Mono<Void> insertAttempt(AttemptRow row) {
        return Mono.fromRunnable(() -> session.writes().insertAttempt(row));
    }

    /** Batched, as {@link #updateExecution}. */
    @Override
    public Mono<Void> endAttempt(AttemptEnd end) {
        return Mono.fromRunnable(() -> session.writes().endAttempt(end));
    }

    @Override
    public Mono<Void> updateAttempt(AttemptRow row) {
        return session.update(UPDATE_ATTEMPT, s -> PgRows.bindAttempt(s, row))
                .flatMap(count -> expectOne(count, "attempt " + row.attemptIndex + " of execution "
                        + row.partitionKey + "/" + row.executionId));
    }

    @Override
    public Mono<AttemptRow> findAttempt(ExecutionId id, int attemptIndex) {
        return session.query(SELECT_ATTEMPT, s -> PgReads.bindId(s, id).bind(2, attemptIndex), PgRows::attempt)
                .next();
    }

    @Override
    public Mono<ExecutionId> reserveIdempotencyKey(String namespace, String key, ExecutionId candidate,
            long expiresAtMs, long nowMs) {
        Mono<ExecutionId> reserve = session.query(RESERVE_IDEMPOTENCY_KEY, s -> s.bind(0, namespace)
                .bind(1, key).bind(2, (short) candidate.partition()).bind(3, candidate.uuid())
                .bind(4, expiresAtMs).bind(5, nowMs), PgRows::executionId).next();
        Mono<ExecutionId> owner = session.query(SELECT_IDEMPOTENCY_OWNER, s -> s.bind(0, namespace).bind(1, key),
                PgRows::executionId).next();
        return reserve.switchIfEmpty(owner);
    }

    /**
     * Batched, as {@link #updateExecution}: inserted into the row's feed table, whose defaults assign
     * {@code event_id} and {@code tx_id} and whose trigger notifies the feed's channel when this transaction
     * commits.
     */
    @Override
    public Mono<Void> appendEvent(OutboxRow row) {
        return Mono.fromRunnable(() -> session.writes().appendEvent(row));
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
    public Mono<Void> lockSigningKeys() {
        return signals.lockSigningKeys();
    }

    @Override
    public Mono<Void> upsertSigningKey(SigningKeyRow row, long supersededUntilMs) {
        return signals.upsertSigningKey(row, supersededUntilMs);
    }

    /*
     * Reads the whole (limited) result before emitting the first row. One connection runs one statement at
     * a time, so a statement the caller issues per locked row (attempt insert, update) would wait for this
     * result to finish while this result waits for the caller: buffering lets callers write as they go.
     */
    private static <T> Flux<T> buffered(Flux<T> rows) {
        return rows.collectList().flatMapIterable(list -> list);
    }

    // The core engine only writes back rows it read under lock in this transaction, so a missing row is a
    // broken invariant, not a user error.
    static Mono<Void> expectOne(long count, String what) {
        return count == 1L ? Mono.empty() : Mono.error(new IllegalStateException(
                "expected to update exactly one row for " + what + ", updated " + count));
    }
}
