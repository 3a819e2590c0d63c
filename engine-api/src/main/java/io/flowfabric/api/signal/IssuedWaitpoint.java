package io.flowfabric.api.signal;

import java.time.Instant;
import java.util.UUID;

/**
 * A waitpoint with the token that lets its holder deliver signals to it.
 *
 * @param expiresAt for a pending waitpoint, when it closes unused; {@code null} once bound to a suspension
 */
public record IssuedWaitpoint(UUID waitpointId, String waitpointKey, WaitpointToken token, Instant expiresAt) {
}
