package io.flowfabric.internal;

import io.flowfabric.api.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque cursor of open-waitpoint pages: base64url of {@code w1:<created_at_ms>:<waitpoint uuid>}, the
 * keyset position of the last entry returned.
 */
record WaitpointCursor(long createdAtMs, UUID waitpointId) {
    private static final String VERSION = "w1";

    String encode() {
        String raw = VERSION + ":" + createdAtMs + ":" + waitpointId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ValidationException ({@code INVALID_CURSOR}) when the cursor is not one this engine issued */
    static WaitpointCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":", -1);
            if (parts.length != 3 || !VERSION.equals(parts[0])) {
                throw invalid(cursor);
            }
            return new WaitpointCursor(Long.parseLong(parts[1]), UUID.fromString(parts[2]));
        } catch (IllegalArgumentException e) {
            throw invalid(cursor);
        }
    }

    private static ValidationException invalid(String cursor) {
        String shown = cursor.length() > 40 ? cursor.substring(0, 40) + "..." : cursor;
        return new ValidationException(ValidationException.Kind.INVALID_CURSOR,
                "not a waitpoint list cursor: '" + shown + "'");
    }
}
