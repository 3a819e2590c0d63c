package io.flowfabric.api;

import reactor.core.publisher.Mono;

/**
 * The producer and operator side: create executions, read them, cancel them. Every method is lazy: nothing
 * happens until the returned publisher is subscribed. Errors are {@link io.flowfabric.api.error.EngineException}s.
 */
public interface Executions {

    /**
     * Creates an execution, or reports a duplicate (same id, or same idempotency key within the dedup
     * window) without changing anything.
     */
    Mono<CreateResult> create(CreateExecution request);

    /** The execution with its state vector and attempt history; {@code NotFoundException} when missing. */
    Mono<ExecutionSnapshot> describe(ExecutionId executionId);

    /** A page of executions in creation order, filtered by lane, namespace and public state. */
    Mono<Page<ExecutionSummary>> list(ListExecutions request);

    /**
     * The result of a completed execution; empty when it has not completed (yet);
     * {@code NotFoundException} when it does not exist.
     */
    Mono<Payload> result(ExecutionId executionId);

    /** Operator cancel; see {@link CancelExecution}. */
    Mono<Cancelled> cancel(CancelExecution request);

    /** Operator revoke of the current lease; see {@link RevokeLease}. Idempotent. */
    Mono<RevokeResult> revokeLease(RevokeLease request);
}
