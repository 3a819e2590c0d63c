package io.flowfabric.api;

/**
 * Request to reclaim one execution whose lease expired or was revoked: a new attempt (type
 * {@code reclaim}) runs under a new lease for the worker named in {@code claim} (its lane, namespace and
 * capabilities must match the execution).
 */
public record ReclaimExecution(ExecutionId executionId, ClaimRequest claim) {
    public ReclaimExecution {
        Validate.required(executionId, "execution id");
        Validate.required(claim, "claim request");
    }
}
