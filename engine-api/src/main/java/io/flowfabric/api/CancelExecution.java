package io.flowfabric.api;

/**
 * Operator cancel: ends a runnable, active or suspended execution as {@code cancelled}, releasing any
 * lease (its holder's next call fails). Cancelling an already cancelled execution succeeds again;
 * cancelling one that ended otherwise is a {@link io.flowfabric.api.error.ConflictException}.
 */
public record CancelExecution(ExecutionId executionId, String reason) {
    public CancelExecution {
        Validate.required(executionId, "execution id");
        Validate.optionalText(reason, "reason", 1024);
    }
}
