package io.flowfabric.internal;

import io.flowfabric.api.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque cursor of execution list pages: base64url of {@code l1:<created_at_ms>:<partition>:<uuid>},
 * the keyset position of the last entry returned.
 */
record ListCursor(long createdAtMs, int partitionKey, UUID executionId) {
    private static final String VERSION = "l1";

    String encode() {
        String raw = VERSION + ":" + createdAtMs + ":" + partitionKey + ":" + executionId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ValidationException ({@code INVALID_CURSOR}) when the cursor is not one this engine issued */
    static ListCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", -1);
            if (parts.length != 4 || !VERSION.equals(parts[0])) {
                throw invalid(cursor);
            }
            return new ListCursor(Long.parseLong(parts[1]), Integer.parseInt(parts[2]), UUID.fromString(parts[3]));
        } catch (IllegalArgumentException e) {
            throw invalid(cursor);
        }
    }

    private static ValidationException invalid(String cursor) {
        String shown = cursor.length() > 40 ? cursor.substring(0, 40) + "..." : cursor;
        return new ValidationException(ValidationException.Kind.INVALID_CURSOR, "not a list cursor: '" + shown + "'");
    }
}
