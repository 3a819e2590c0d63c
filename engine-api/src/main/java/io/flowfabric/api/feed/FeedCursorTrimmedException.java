package io.flowfabric.api.feed;

import io.flowfabric.api.error.ConflictException;

/** The cursor points into history the retention already deleted; resubscribe from the beginning or now. */
public final class FeedCursorTrimmedException extends ConflictException {
    public FeedCursorTrimmedException(String feed) {
        super("the " + feed + " feed no longer holds the events after this cursor (trimmed by retention)");
    }
}
