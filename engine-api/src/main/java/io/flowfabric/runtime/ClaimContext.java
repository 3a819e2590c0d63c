package io.flowfabric.runtime;

import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.Leases;
import io.flowfabric.api.ReportProgress;
import java.time.Clock;
import reactor.core.publisher.Mono;

/** The {@link HandlerContext} of one claimed execution. */
record ClaimContext(ClaimedExecution execution, Clock clock, Leases leases) implements HandlerContext {

    @Override
    public Mono<Void> progress(int percent, String message) {
        return Mono.defer(() -> leases.progress(
                new ReportProgress(execution.executionId(), execution.fence(), percent, message)));
    }
}
