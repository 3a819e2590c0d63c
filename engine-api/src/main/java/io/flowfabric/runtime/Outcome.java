package io.flowfabric.runtime;

import io.flowfabric.api.Payload;

/** How one attempt run by the worker ended, before it is reported to the engine. */
sealed interface Outcome permits Outcome.Succeeded, Outcome.Failed, Outcome.LeaseLost, Outcome.Suspended {

    /** Complete the execution with {@code result}. */
    record Succeeded(Payload result) implements Outcome {
    }

    /** Fail the attempt; the engine retries per policy. */
    record Failed(String errorType, String message) implements Outcome {
        private static final int MAX_ERROR_TYPE = 256;

        /** The error type is the exception's simple class name (its full name for anonymous classes). */
        static Failed of(Throwable error) {
            String type = error.getClass().getSimpleName();
            if (type.isEmpty()) {
                type = error.getClass().getName();
            }
            if (type.length() > MAX_ERROR_TYPE) {
                type = type.substring(0, MAX_ERROR_TYPE);
            }
            return new Failed(type, error.getMessage() == null ? "" : error.getMessage());
        }
    }

    /** The lease is gone; nothing may be reported under it. */
    record LeaseLost(Throwable cause) implements Outcome {
    }

    /** The handler suspended the execution; the suspend released the lease and nothing is reported. */
    record Suspended() implements Outcome {
    }
}
