package io.flowfabric.runtime;

import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.signal.IssuedWaitpoint;
import io.flowfabric.api.signal.ReceivedSignal;
import io.flowfabric.api.signal.ResumeCondition;
import io.flowfabric.api.signal.SuspendExecution;
import io.flowfabric.api.state.AttemptType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/** What an {@link ExecutionHandler} sees of the execution it runs. */
public interface HandlerContext {

    /** The claimed execution, with its lease fence. */
    ClaimedExecution execution();

    /** The engine's clock; handlers read time from it rather than from the wall clock. */
    Clock clock();

    /**
     * Overwrites the execution's progress under the current lease.
     *
     * @param percent in [0, 100]
     * @param message at most 1024 characters, or {@code null}
     */
    Mono<Void> progress(int percent, String message);

    /**
     * The signals that resumed this attempt after a suspension (those of its latest suspension), in delivery
     * order; empty when the attempt did not suspend.
     */
    List<ReceivedSignal> signals();

    /**
     * Suspends the execution; return the result of this {@code Mono} from the handler. The lease is
     * released, {@code onWaitpoints} receives the waitpoints (with their tokens, to hand to whoever will
     * signal), and the handler is invoked again on the same attempt once the execution resumes, with
     * {@link #signals()} set. When buffered signals already satisfy the condition the handler is invoked
     * again at once.
     */
    Mono<Payload> suspend(SuspendExecution request, Consumer<List<IssuedWaitpoint>> onWaitpoints);

    /** {@link #suspend(SuspendExecution, Consumer)} with no timeout and no resume delay. */
    default Mono<Payload> suspend(ResumeCondition condition, Consumer<List<IssuedWaitpoint>> onWaitpoints) {
        return suspend(SuspendExecution.until(executionId(), execution().fence(), condition), onWaitpoints);
    }

    /** Whether this invocation continues a suspended attempt. */
    default boolean isResumed() {
        return !signals().isEmpty();
    }

    default ExecutionId executionId() {
        return execution().executionId();
    }

    default String kind() {
        return execution().kind();
    }

    default Payload payload() {
        return execution().payload();
    }

    /** Zero-based index of the attempt being run. */
    default int attemptIndex() {
        return execution().attemptIndex();
    }

    default AttemptType attemptType() {
        return execution().attemptType();
    }

    default Map<String, String> tags() {
        return execution().tags();
    }
}
