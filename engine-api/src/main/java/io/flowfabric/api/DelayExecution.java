package io.flowfabric.api;

import java.time.Instant;

/**
 * The lease holder pauses the execution until {@code until}: the lease is released and the same attempt
 * continues when it is claimed again.
 */
public record DelayExecution(ExecutionId executionId, LeaseFence fence, Instant until) {
    public DelayExecution {
        Validate.required(executionId, "execution id");
        Validate.required(fence, "lease fence");
        Validate.required(until, "delay until");
    }
}
