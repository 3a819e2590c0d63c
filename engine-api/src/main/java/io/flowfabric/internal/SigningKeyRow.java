package io.flowfabric.internal;

/**
 * One row of {@code ff_waitpoint_hmac}: a waitpoint signing key. Exactly one key is current; a superseded
 * key keeps verifying tokens until {@code validUntilMs} (the rotation time plus the grace period).
 */
public final class SigningKeyRow {
    public String kid;
    public byte[] secret;
    public long createdAtMs;
    public boolean current;
    public Long validUntilMs;
}
