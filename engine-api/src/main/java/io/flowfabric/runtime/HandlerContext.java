package io.flowfabric.runtime;

import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.state.AttemptType;
import java.time.Clock;
import java.util.Map;
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
