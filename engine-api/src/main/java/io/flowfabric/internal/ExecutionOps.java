package io.flowfabric.internal;

import io.flowfabric.api.*;
import java.time.Clock;
import reactor.core.publisher.Mono;

final class ExecutionOps implements Executions {
    ExecutionOps(Store store, Clock clock) {
    }

    public Mono<CreateResult> create(CreateExecution request) { return Mono.error(new UnsupportedOperationException()); }
    public Mono<ExecutionSnapshot> describe(ExecutionId executionId) { return Mono.error(new UnsupportedOperationException()); }
    public Mono<Page<ExecutionSummary>> list(ListExecutions request) { return Mono.error(new UnsupportedOperationException()); }
    public Mono<Payload> result(ExecutionId executionId) { return Mono.error(new UnsupportedOperationException()); }
    public Mono<Cancelled> cancel(CancelExecution request) { return Mono.error(new UnsupportedOperationException()); }
}
