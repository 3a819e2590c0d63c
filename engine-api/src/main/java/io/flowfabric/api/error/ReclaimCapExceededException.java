package io.flowfabric.api.error;

/**
 * A reclaim would exceed the policy's {@code max_reclaim_count}: instead of a new attempt the execution
 * ended {@code failed}.
 */
public final class ReclaimCapExceededException extends ConflictException {
    private final int reclaimCount;

    public ReclaimCapExceededException(String executionId, int reclaimCount) {
        super("execution " + executionId + " was already reclaimed " + reclaimCount
                + " times, the policy's limit; it has failed");
        this.reclaimCount = reclaimCount;
    }

    public int reclaimCount() {
        return reclaimCount;
    }
}
