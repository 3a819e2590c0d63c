package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads over the schema. */
public interface StoreReads {

    /** The execution row, or empty when it does not exist. */
    Mono<ExecutionRow> findExecution(ExecutionId id);

    /** The execution's attempts ordered by attempt index. */
    Flux<AttemptRow> findAttempts(ExecutionId id);

    /** One page of executions as {@link ListQuery} describes. */
    Flux<ExecutionRow> listExecutions(ListQuery query);

    /** Ids of executions whose condition holds, as {@link DueQuery} describes; rows are not locked. */
    Flux<ExecutionId> findDue(DueQuery query);

    /** The execution's waitpoints (every state), ordered by {@code (created_at_ms, waitpoint_id)}. */
    Flux<WaitpointRow> findWaitpoints(ExecutionId id);

    /** One page of the execution's open waitpoints, as {@link WaitpointQuery} describes. */
    Flux<WaitpointRow> listOpenWaitpoints(WaitpointQuery query);

    /** The execution's open suspension, or empty. */
    Mono<SuspensionRow> findOpenSuspension(ExecutionId id);

    /** The execution's suspension created with {@code idempotencyKey}, open or closed, or empty. */
    Mono<SuspensionRow> findSuspensionByKey(ExecutionId id, String idempotencyKey);

    /** The execution's signals ordered by {@code (delivered_at_ms, signal_id)}. */
    Flux<SignalRow> findSignals(ExecutionId id);

    /** The signal delivered to the execution with {@code idempotencyKey}, or empty. */
    Mono<SignalRow> findSignalByKey(ExecutionId id, String idempotencyKey);

    /** How many signals the execution has received. */
    Mono<Long> countSignals(ExecutionId id);

    /** The signing key {@code kid}, or empty. */
    Mono<SigningKeyRow> findSigningKey(String kid);

    /** The current signing key, or empty when none was seeded. */
    Mono<SigningKeyRow> findCurrentSigningKey();
}
