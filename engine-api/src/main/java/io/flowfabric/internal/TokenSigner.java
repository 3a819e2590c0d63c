package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.signal.SigningKey;
import io.flowfabric.api.signal.WaitpointToken;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies waitpoint tokens: HMAC-SHA256 (RFC 2104, JDK {@link Mac}) over
 * {@code <execution id>|<waitpoint id>} under a signing key, so a token can be checked before anything
 * else about the waitpoint is read. Verification recomputes the
 * digest and compares in constant time.
 */
public final class TokenSigner {
    private static final String ALGORITHM = "HmacSHA256";
    /** The shortest secret accepted: 16 bytes. */
    public static final int MIN_SECRET_BYTES = SigningKey.MIN_SECRET_BYTES;

    private TokenSigner() {
    }

    public static WaitpointToken sign(String kid, byte[] secret, ExecutionId executionId, UUID waitpointId) {
        return WaitpointToken.of(kid, HexFormat.of().formatHex(digest(secret, executionId, waitpointId)));
    }

    /** Whether {@code token} was signed with {@code secret} for exactly this waitpoint. */
    public static boolean verify(WaitpointToken token, byte[] secret, ExecutionId executionId, UUID waitpointId) {
        byte[] expected = digest(secret, executionId, waitpointId);
        byte[] given = HexFormat.of().parseHex(token.digestHex());
        return MessageDigest.isEqual(expected, given);
    }

    /**
     * Decodes a hex secret.
     *
     * @throws ValidationException ({@code INVALID_INPUT}) when not even-length hex of at least
     *     {@value #MIN_SECRET_BYTES} bytes
     */
    public static byte[] parseSecret(String hex) {
        try {
            byte[] secret = HexFormat.of().parseHex(hex == null ? "" : hex);
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("too short");
            }
            return secret;
        } catch (IllegalArgumentException e) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                    "a signing secret is even-length hex of at least " + MIN_SECRET_BYTES + " bytes");
        }
    }

    private static byte[] digest(byte[] secret, ExecutionId executionId, UUID waitpointId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            String message = executionId + "|" + waitpointId;
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
        }
    }
}
