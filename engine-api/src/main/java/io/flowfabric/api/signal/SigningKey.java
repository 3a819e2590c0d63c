package io.flowfabric.api.signal;

import io.flowfabric.api.error.ValidationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A waitpoint signing key as configuration supplies it: a kid ({@link SigningKeyId}) and a secret of at
 * least {@value #MIN_SECRET_BYTES} bytes as hex. {@link #toString()} shows the kid only, and no
 * exception message of this class contains a secret, so keys do not leak into logs.
 *
 * @param kid the key id, 1-64 characters of {@code [A-Za-z0-9._-]}
 * @param secretHex the secret as even-length hex (either case), at least {@value #MIN_SECRET_BYTES} bytes;
 *     stored lower-case. Handle it as a secret.
 * @throws ValidationException ({@code INVALID_INPUT}) from the constructor when either part breaks its rule
 */
public record SigningKey(String kid, String secretHex) {
    /** The shortest secret accepted: 16 bytes (32 hex characters). */
    public static final int MIN_SECRET_BYTES = 16;

    public SigningKey {
        SigningKeyId.require(kid);
        secretHex = requireSecret(kid, secretHex);
    }

    /** {@code new SigningKey(kid, secretHex)}. */
    public static SigningKey of(String kid, String secretHex) {
        return new SigningKey(kid, secretHex);
    }

    /**
     * Parses a key list such as an environment variable holds: {@code kid:secretHex} entries separated by
     * commas, for example {@code "k1:00112233445566778899aabbccddeeff,k2:..."}. Blanks around entries and
     * around their two parts are ignored; {@code null} or blank text is an empty list. The order is kept.
     *
     * @throws ValidationException ({@code INVALID_INPUT}) when an entry is empty, lacks the {@code :}, has an
     *     invalid kid or secret, or repeats a kid; the message names the entry by position (and its kid when
     *     valid), never its secret
     */
    public static List<SigningKey> parseList(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String[] entries = text.split(",", -1);
        List<SigningKey> keys = new ArrayList<>(entries.length);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw invalid("signing key entry " + (i + 1) + " of " + entries.length
                        + " is not <kid>:<secret hex>");
            }
            String kid = entry.substring(0, colon).strip();
            try {
                SigningKeyId.require(kid);
            } catch (ValidationException e) {
                throw invalid("signing key entry " + (i + 1) + " of " + entries.length + " has an invalid kid "
                        + "(1-64 characters of letters, digits, '.', '_' or '-')");
            }
            keys.add(new SigningKey(kid, entry.substring(colon + 1).strip()));
        }
        return requireDistinct(keys);
    }

    /**
     * An immutable copy of {@code keys} after checking that no kid appears twice; {@code null} is an empty
     * list.
     *
     * @throws ValidationException ({@code INVALID_INPUT}) when a kid repeats or an element is null
     */
    public static List<SigningKey> requireDistinct(List<SigningKey> keys) {
        if (keys == null) {
            return List.of();
        }
        Set<String> kids = new HashSet<>();
        for (SigningKey key : keys) {
            if (key == null) {
                throw invalid("a signing key list cannot contain null");
            }
            if (!kids.add(key.kid())) {
                throw invalid("signing key " + key.kid() + " is configured more than once");
            }
        }
        return List.copyOf(keys);
    }

    /** The kid and a redaction mark; never the secret. */
    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", secret=<redacted>]";
    }

    private static String requireSecret(String kid, String secretHex) {
        try {
            byte[] secret = HexFormat.of().parseHex(secretHex == null ? "" : secretHex);
            if (secret.length >= MIN_SECRET_BYTES) {
                return secretHex.toLowerCase(Locale.ROOT);
            }
        } catch (IllegalArgumentException e) {
            // Reported below without the text, which may be most of a secret.
        }
        throw invalid("the secret of signing key " + kid + " must be even-length hex of at least "
                + MIN_SECRET_BYTES + " bytes");
    }

    private static ValidationException invalid(String detail) {
        return new ValidationException(ValidationException.Kind.INVALID_INPUT, detail);
    }
}
