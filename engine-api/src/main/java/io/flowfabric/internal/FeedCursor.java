package io.flowfabric.internal;

import io.flowfabric.api.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque feed cursors: base64url of {@code f1:<backend>:<feed>:<tx_id>:<event_id>}. A cursor names its
 * backend and feed, so a cursor of another feed or backend is rejected instead of being misread.
 */
final class FeedCursor {
    private static final String VERSION = "f1";

    private FeedCursor() {
    }

    static String encode(String backend, Feed feed, FeedPosition position) {
        String raw = VERSION + ":" + backend + ":" + feed.label() + ":" + position.txId() + ":" + position.eventId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws ValidationException ({@code INVALID_CURSOR}) when malformed or from another feed or backend */
    static FeedPosition decode(String backend, Feed feed, String cursor) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid("not a feed cursor");
        }
        String[] parts = raw.split(":", -1);
        if (parts.length != 5 || !VERSION.equals(parts[0])) {
            throw invalid("not a feed cursor");
        }
        if (!backend.equals(parts[1])) {
            throw invalid("cursor of the " + parts[1] + " backend, not " + backend);
        }
        if (!feed.label().equals(parts[2])) {
            throw invalid("cursor of the " + parts[2] + " feed, not " + feed.label());
        }
        try {
            return new FeedPosition(Long.parseLong(parts[3]), Long.parseLong(parts[4]));
        } catch (NumberFormatException e) {
            throw invalid("not a feed cursor");
        }
    }

    private static ValidationException invalid(String detail) {
        return new ValidationException(ValidationException.Kind.INVALID_CURSOR, detail);
    }
}
