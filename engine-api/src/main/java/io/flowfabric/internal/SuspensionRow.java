package io.flowfabric.internal;

import java.util.UUID;

/**
 * One row of {@code ff_suspension}: a suspension of an execution, open while {@code closedAtMs} is null.
 * {@code conditionJson} is the resume condition; {@code outcomeJson} the outcome returned to the
 * suspending worker, replayed verbatim when the same idempotency key suspends again.
 */
public final class SuspensionRow {
    public int partitionKey;
    public UUID executionId;
    public UUID suspensionId;
    public int attemptIndex;
    public String reasonCode;
    public String conditionJson;
    public Long timeoutAtMs;
    public String timeoutBehavior;
    public long resumeDelayMs;
    public long suspendedAtMs;
    public String idempotencyKey;
    public String outcomeJson;
    public Long closedAtMs;
    public String closeReason;
}
