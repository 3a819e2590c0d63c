package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import java.util.Comparator;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Statements available inside a read-write transaction. */
public interface StoreTx extends StoreReads {

    /** The execution row locked for update until the transaction ends, or empty when missing. */
    Mono<ExecutionRow> lockExecution(ExecutionId id);

    /**
     * The rows of {@code ids} that exist, locked for update until the transaction ends, in
     * {@code (partition_key, execution_id)} order so that two transactions locking overlapping sets cannot
     * deadlock. Missing ids are left out.
     */
    default Flux<ExecutionRow> lockExecutions(List<ExecutionId> ids) {
        return Flux.fromIterable(ids.stream().distinct()
                        .sorted(Comparator.comparingInt(ExecutionId::partition).thenComparing(ExecutionId::uuid))
                        .toList())
                .concatMap(this::lockExecution);
    }

    /** Inserts the row; emits {@code false} (and changes nothing) when the id already exists. */
    Mono<Boolean> insertExecution(ExecutionRow row);

    /**
     * Writes the row's mutable columns, matched by {@code (partition_key, execution_id)}: every column
     * except those fixed when the execution is created ({@link ExecutionRow#FIXED_AT_CREATION}). Updating a
     * row that does not exist is a bug and fails with {@link IllegalStateException}, which a backend may
     * raise at any later statement of the transaction or at its commit: writes may be sent together.
     */
    Mono<Void> updateExecution(ExecutionRow row);

    /**
     * Locks and returns up to {@code query.limit()} claimable rows, skipping rows locked by other
     * transactions ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL).
     */
    Flux<ExecutionRow> lockClaimable(ClaimQuery query);

    Mono<Void> insertAttempt(AttemptRow row);

    /**
     * Writes every column of the attempt, matched by {@code (partition_key, execution_id, attempt_index)};
     * a missing attempt fails with {@link IllegalStateException}.
     */
    Mono<Void> updateAttempt(AttemptRow row);

    /**
     * Sets the lifecycle, end time and error columns of one attempt, matched by
     * {@code (partition_key, execution_id, attempt_index)}; a missing attempt is left alone.
     */
    Mono<Void> endAttempt(AttemptEnd end);

    /** The attempt, or empty. */
    Mono<AttemptRow> findAttempt(ExecutionId id, int attemptIndex);

    /**
     * Reserves an idempotency key for {@code candidate} unless a live reservation exists: inserts
     * {@code (namespace, key) -> candidate} or replaces a reservation whose {@code expires_at_ms <= nowMs}.
     * Emits the execution that owns the key afterwards: {@code candidate} when the reservation took, the
     * earlier execution otherwise. Concurrent reservations of one key serialise on its unique key.
     */
    Mono<ExecutionId> reserveIdempotencyKey(String namespace, String key, ExecutionId candidate, long expiresAtMs,
            long nowMs);

    /** Appends an outbox row in this transaction; the database assigns its position. */
    Mono<Void> appendEvent(OutboxRow row);

    /**
     * Locks and returns up to {@code query.limit()} reclaimable rows: active, with ownership
     * {@code lease_expired_reclaimable} or {@code lease_revoked}, in the lane and namespace, whose required
     * capabilities are a subset of {@code query.capabilities()}; claim order; skipping locked rows.
     * ({@code query.nowMs()} is not used.)
     */
    Flux<ExecutionRow> lockReclaimable(ClaimQuery query);

    /**
     * Deletes the execution with every row that belongs to it: attempts, waitpoints, suspensions, signals
     * and the idempotency keys that point to it (outbox rows are trimmed separately).
     */
    Mono<Void> deleteExecution(ExecutionId id);

    /** Deletes up to {@code limit} idempotency keys with {@code expires_at_ms <= nowMs}; emits the count. */
    Mono<Long> deleteExpiredIdempotencyKeys(long nowMs, int limit);

    /** Inserts a waitpoint. */
    Mono<Void> insertWaitpoint(WaitpointRow row);

    /** Writes every column of the waitpoint, matched by {@code (partition_key, execution_id, waitpoint_id)}. */
    Mono<Void> updateWaitpoint(WaitpointRow row);

    /** Inserts a suspension. */
    Mono<Void> insertSuspension(SuspensionRow row);

    /** Writes every column of the suspension, matched by {@code (partition_key, execution_id, suspension_id)}. */
    Mono<Void> updateSuspension(SuspensionRow row);

    /** Inserts a delivered signal. */
    Mono<Void> insertSignal(SignalRow row);

    /**
     * Serialises signing-key changes until the transaction ends, so a seed or rotation that reads the key
     * table next sees every earlier one committed (two engines starting at once with the same kid and
     * different secrets: the second fails with a conflict instead of overwriting). A single-writer backend
     * needs nothing.
     */
    default Mono<Void> lockSigningKeys() {
        return Mono.empty();
    }

    /**
     * Inserts or replaces the signing key {@code row.kid}, and when {@code row.current} is true marks every
     * other key not current (setting their {@code valid_until_ms} to {@code supersededUntilMs} if they were
     * current and had none).
     */
    Mono<Void> upsertSigningKey(SigningKeyRow row, long supersededUntilMs);
}
