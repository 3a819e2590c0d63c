package io.flowfabric.api.signal;

import io.flowfabric.api.error.ValidationException;
import java.util.Locale;
import java.util.Objects;

/**
 * The bearer credential of a waitpoint: {@code <kid>:<hex digest>}, an HMAC-SHA256 (RFC 2104) over the
 * waitpoint and execution identity under the signing key {@code kid}. Whoever holds it may deliver
 * signals to that waitpoint. {@link #toString()} never shows the digest: it prints the kid and a short
 * fingerprint only, so tokens do not leak into logs or exception messages.
 */
public final class WaitpointToken {
    private static final int DIGEST_HEX_LENGTH = 64;

    private final String kid;
    private final String digestHex;

    private WaitpointToken(String kid, String digestHex) {
        this.kid = kid;
        this.digestHex = digestHex;
    }

    /** A token from its parts; the digest must be 64 hex characters. */
    public static WaitpointToken of(String kid, String digestHex) {
        SigningKeyId.require(kid);
        Objects.requireNonNull(digestHex, "digest");
        if (digestHex.length() != DIGEST_HEX_LENGTH || !digestHex.chars().allMatch(WaitpointToken::isHex)) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                    "waitpoint token digest must be " + DIGEST_HEX_LENGTH + " hex characters");
        }
        return new WaitpointToken(kid, digestHex.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses {@code <kid>:<hex>}.
     *
     * @throws ValidationException ({@code INVALID_INPUT}) when missing or malformed; the message does not
     *     repeat the token
     */
    public static WaitpointToken parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "a waitpoint token is required");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                    "a waitpoint token has the form <kid>:<hex digest>");
        }
        return of(text.substring(0, colon), text.substring(colon + 1));
    }

    public String kid() {
        return kid;
    }

    /** The hex digest; handle it as a secret. */
    public String digestHex() {
        return digestHex;
    }

    /** The first 16 hex characters of the digest: enough to tell tokens apart, useless to forge one. */
    public String fingerprint() {
        return digestHex.substring(0, 16);
    }

    /** The full bearer form {@code <kid>:<hex>}; handle it as a secret. */
    public String reveal() {
        return kid + ":" + digestHex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WaitpointToken t && kid.equals(t.kid)
                && java.security.MessageDigest.isEqual(digestHex.getBytes(), t.digestHex.getBytes());
    }

    @Override
    public int hashCode() {
        return kid.hashCode();
    }

    @Override
    public String toString() {
        return kid + ":<redacted fingerprint=" + fingerprint() + ">";
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
