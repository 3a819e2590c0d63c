package io.flowfabric.api.signal;

import java.time.Instant;
import java.util.UUID;

/**
 * A waitpoint as listings show it: the token's kid and fingerprint, never the token.
 *
 * @param state {@code pending}, {@code active} or {@code closed}
 */
public record WaitpointInfo(
        UUID waitpointId,
        String waitpointKey,
        String state,
        String tokenKid,
        String tokenFingerprint,
        Instant createdAt,
        Instant expiresAt,
        Instant activatedAt) {
}
