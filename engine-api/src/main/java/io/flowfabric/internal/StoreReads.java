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
}
