package io.flowfabric.api;

/** The lease holder gives up: the execution ends {@code cancelled}. Repeating it is a no-op. */
public record CancelLeased(ExecutionId executionId, LeaseFence fence, String reason) {
    public CancelLeased {
        Validate.required(executionId, "execution id");
        Validate.required(fence, "lease fence");
        Validate.optionalText(reason, "reason", 1024);
    }
}
