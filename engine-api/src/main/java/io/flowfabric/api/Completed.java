package io.flowfabric.api;

import java.time.Instant;

/**
 * Result of {@link Leases#complete}.
 *
 * @param replay true when this call repeated a completion that had already been applied by the same
 *     lease (for example after a lost response); nothing was changed by it
 */
public record Completed(ExecutionId executionId, Instant completedAt, boolean replay) {
}
