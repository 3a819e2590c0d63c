package io.flowfabric.runtime;

import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.Payload;
import io.flowfabric.api.ReportProgress;
import io.flowfabric.api.signal.IssuedWaitpoint;
import io.flowfabric.api.signal.ReceivedSignal;
import io.flowfabric.api.signal.SuspendExecution;
import io.flowfabric.api.signal.SuspendOutcome;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/** The {@link HandlerContext} of one claimed execution. */
record ClaimContext(ClaimedExecution execution, Engine engine, List<ReceivedSignal> signals) implements HandlerContext {

    ClaimContext {
        signals = List.copyOf(signals);
    }

    @Override
    public Clock clock() {
        return engine.clock();
    }

    @Override
    public Mono<Void> progress(int percent, String message) {
        return Mono.defer(() -> engine.leases().progress(
                new ReportProgress(execution.executionId(), execution.fence(), percent, message)));
    }

    @Override
    public Mono<Payload> suspend(SuspendExecution request, Consumer<List<IssuedWaitpoint>> onWaitpoints) {
        return Mono.defer(() -> engine.signals().suspend(request)).flatMap(outcome -> {
            if (outcome instanceof SuspendOutcome.Suspended suspended) {
                onWaitpoints.accept(suspended.waitpoints());
                return Mono.error(new HandlerSuspended(null));
            }
            return Mono.error(new HandlerSuspended(((SuspendOutcome.AlreadySatisfied) outcome).signals()));
        });
    }
}
