package io.flowfabric.internal;

import java.util.UUID;

/**
 * One row of {@code ff_waitpoint}. {@code state} is {@code pending} (created while the lease is held; buffers
 * signals), {@code active} (bound to a suspension) or {@code closed}. The token itself is never stored:
 * it is recomputed from the signing key to verify a delivery; only its kid and fingerprint are kept for
 * listings.
 */
public final class WaitpointRow {
    public int partitionKey;
    public UUID executionId;
    public UUID waitpointId;
    public String waitpointKey;
    public String state;
    public String tokenKid;
    public String tokenFingerprint;
    public long createdAtMs;
    public Long expiresAtMs;
    public Long activatedAtMs;
    public Long closedAtMs;
    public String closeReason;
    public UUID suspensionId;
}
