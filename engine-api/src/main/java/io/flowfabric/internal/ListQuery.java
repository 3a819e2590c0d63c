package io.flowfabric.internal;

import io.flowfabric.api.state.PublicState;
import java.util.UUID;

/**
 * A page of executions ordered by {@code (created_at_ms, partition_key, execution_id)}, strictly after
 * the given position when {@code afterCreatedAtMs} is non-null. Null filters match everything. The
 * {@code publicState} filter treats a delayed execution whose {@code eligible_at_ms <= nowMs} as
 * {@code waiting}, matching what {@code describe} reports.
 */
public record ListQuery(
        String namespace,
        String laneId,
        PublicState publicState,
        long nowMs,
        Long afterCreatedAtMs,
        Integer afterPartitionKey,
        UUID afterExecutionId,
        int limit) {
}
