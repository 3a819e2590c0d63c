package io.flowfabric.api;

/** Request to finish a leased execution successfully with {@code result} (may be empty). */
public record CompleteExecution(ExecutionId executionId, LeaseFence fence, Payload result) {
    public CompleteExecution {
        Validate.required(executionId, "execution id");
        Validate.required(fence, "lease fence");
        result = result == null ? Payload.EMPTY : result;
    }

    public static CompleteExecution of(ClaimedExecution claimed, Payload result) {
        return new CompleteExecution(claimed.executionId(), claimed.fence(), result);
    }
}
