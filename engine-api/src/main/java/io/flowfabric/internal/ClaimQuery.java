package io.flowfabric.internal;

import java.util.List;

/**
 * Selects claimable executions: runnable, unowned, eligible now or delayed, with {@code eligible_at_ms <=
 * nowMs} (due retries and delays are promoted lazily by the claim itself; an eligible row's
 * {@code eligible_at_ms} is the time it became eligible, so the same bound holds), in the lane and namespace, whose
 * required capabilities are a subset of {@code capabilities}. Ordered by priority descending, then
 * {@code created_at_ms}, then id; at most {@code limit} rows, skipping rows other transactions hold.
 */
public record ClaimQuery(String namespace, String laneId, List<String> capabilities, long nowMs, int limit) {
}
