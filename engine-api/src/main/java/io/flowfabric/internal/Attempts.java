package io.flowfabric.internal;

import io.flowfabric.api.state.AttemptLifecycle;
import reactor.core.publisher.Mono;

/** Updates of the current attempt record. */
final class Attempts {
    private Attempts() {
    }

    /** Ends the execution's current attempt with {@code lifecycle} and an optional error. */
    static Mono<Void> end(StoreTx tx, ExecutionRow row, AttemptLifecycle lifecycle, long nowMs, String errorType,
            String errorMessage) {
        if (row.currentAttemptIndex == null) {
            return Mono.empty();
        }
        return tx.findAttempt(row.id(), row.currentAttemptIndex).flatMap(attempt -> {
            attempt.attemptLifecycle = lifecycle;
            attempt.endedAtMs = nowMs;
            attempt.errorType = errorType;
            attempt.errorMessage = errorMessage;
            return tx.updateAttempt(attempt);
        });
    }

    /** Marks the current attempt paused (lease released, attempt continues later). */
    static Mono<Void> pause(StoreTx tx, ExecutionRow row) {
        return tx.findAttempt(row.id(), row.currentAttemptIndex).flatMap(attempt -> {
            attempt.attemptLifecycle = AttemptLifecycle.SUSPENDED;
            return tx.updateAttempt(attempt);
        });
    }
}
