package io.flowfabric.internal;

import java.util.UUID;

/**
 * One row of {@code ff_signal}: a signal delivered to a waitpoint of an execution. {@code effect} is
 * {@code satisfied} or {@code buffered} (a deduplicated delivery writes no row).
 */
public final class SignalRow {
    public int partitionKey;
    public UUID executionId;
    public UUID signalId;
    public UUID waitpointId;
    public String waitpointKey;
    public String signalName;
    public String sourceType;
    public String sourceIdentity;
    public String idempotencyKey;
    public byte[] payload;
    public long deliveredAtMs;
    public String effect;
}
