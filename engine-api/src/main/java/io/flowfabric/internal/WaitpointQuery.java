package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import java.util.UUID;

/**
 * A page of one execution's open (not closed) waitpoints ordered by {@code (created_at_ms, waitpoint_id)},
 * strictly after the position {@code (afterCreatedAtMs, afterWaitpointId)} when {@code afterCreatedAtMs}
 * is non-null (then {@code afterWaitpointId} is required too); at most {@code limit} rows.
 */
public record WaitpointQuery(ExecutionId executionId, Long afterCreatedAtMs, UUID afterWaitpointId, int limit) {
    public WaitpointQuery {
        if (afterCreatedAtMs != null && afterWaitpointId == null) {
            throw new IllegalArgumentException("a waitpoint list position needs created_at_ms and waitpoint_id");
        }
    }
}
