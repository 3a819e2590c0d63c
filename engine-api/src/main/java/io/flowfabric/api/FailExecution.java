package io.flowfabric.api;

/**
 * Request to record a failed attempt.
 *
 * @param errorType a short classification, for example the exception class, at most 256 characters
 * @param message a human-readable description, at most 4096 characters (longer text is truncated)
 */
public record FailExecution(ExecutionId executionId, LeaseFence fence, String errorType, String message) {
    public FailExecution {
        Validate.required(executionId, "execution id");
        Validate.required(fence, "lease fence");
        Validate.text(errorType, "error type", 256);
        message = message == null ? "" : message.length() > 4096 ? message.substring(0, 4096) : message;
    }

    public static FailExecution of(ClaimedExecution claimed, String errorType, String message) {
        return new FailExecution(claimed.executionId(), claimed.fence(), errorType, message);
    }
}
