package io.flowfabric.internal;

import io.flowfabric.api.state.AttemptLifecycle;
import reactor.core.publisher.Mono;

/** Updates of the current attempt record, written without reading it first. */
final class Attempts {
    private Attempts() {
    }

    /** Ends the execution's current attempt with {@code lifecycle} and an optional error. */
    static Mono<Void> end(StoreTx tx, ExecutionRow row, AttemptLifecycle lifecycle, long nowMs, String errorType,
            String errorMessage) {
        if (row.currentAttemptIndex == null) {
            return Mono.empty();
        }
        return tx.endAttempt(new AttemptEnd(row.id(), row.currentAttemptIndex, lifecycle, nowMs, errorType,
                errorMessage));
    }

    /** Marks the current attempt paused (lease released, attempt continues later). */
    static Mono<Void> pause(StoreTx tx, ExecutionRow row) {
        if (row.currentAttemptIndex == null) {
            return Mono.empty();
        }
        return tx.endAttempt(new AttemptEnd(row.id(), row.currentAttemptIndex, AttemptLifecycle.SUSPENDED, null,
                null, null));
    }
}
