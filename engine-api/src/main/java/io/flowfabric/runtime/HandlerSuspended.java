package io.flowfabric.runtime;

import io.flowfabric.api.signal.ReceivedSignal;
import java.util.List;

/**
 * Ends a handler invocation that suspended its execution: the runtime reports nothing (the suspend already
 * released the lease). When the condition was already satisfied by buffered signals, {@code satisfiedBy}
 * holds them and the runtime invokes the handler again at once, under the same lease.
 */
final class HandlerSuspended extends RuntimeException {
    private final transient List<ReceivedSignal> satisfiedBy;

    HandlerSuspended(List<ReceivedSignal> satisfiedBy) {
        super("the handler suspended its execution", null, false, false);
        this.satisfiedBy = satisfiedBy;
    }

    /** The buffered signals that already satisfied the condition, or {@code null} when it suspended. */
    List<ReceivedSignal> satisfiedBy() {
        return satisfiedBy;
    }
}
