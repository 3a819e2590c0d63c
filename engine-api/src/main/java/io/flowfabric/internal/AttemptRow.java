package io.flowfabric.internal;

import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptType;
import java.util.UUID;

/** One row of {@code ff_attempt}: one attempt of an execution. Times are epoch milliseconds. */
public final class AttemptRow {
    public int partitionKey;
    public UUID executionId;
    public int attemptIndex;
    public UUID attemptId;
    public AttemptType attemptType;
    public AttemptLifecycle attemptLifecycle;
    /** The lease under which the attempt runs now (or last ran). */
    public UUID leaseId;
    public long leaseEpoch;
    public String workerId;
    public String workerInstanceId;
    public long startedAtMs;
    public Long endedAtMs;
    public String errorType;
    public String errorMessage;
}
