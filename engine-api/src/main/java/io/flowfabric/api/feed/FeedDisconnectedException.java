package io.flowfabric.api.feed;

import io.flowfabric.api.error.EngineException;

/**
 * The feed lost its database and could not get it back within the engine's limit. Resubscribe with
 * {@link FeedRequest#after(String)} and {@link #lastCursor()} to continue without loss.
 */
public final class FeedDisconnectedException extends EngineException {
    private final String lastCursor;

    public FeedDisconnectedException(String feed, String lastCursor, Throwable cause) {
        super("the " + feed + " feed is disconnected from the database", cause);
        this.lastCursor = lastCursor;
    }

    /** The cursor of the last event delivered, or {@code null} when none was. */
    public String lastCursor() {
        return lastCursor;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
