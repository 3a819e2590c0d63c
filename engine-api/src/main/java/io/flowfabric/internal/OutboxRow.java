package io.flowfabric.internal;

import java.util.UUID;

/**
 * One row of an outbox table ({@link Feed#table()}). {@code txId} and {@code eventId} are assigned by the
 * database when the row is appended. {@code eventType} is the lower-case name of the feed's event type
 * (for completions the terminal outcome literal); {@code detailsJson} is a JSON object of string values.
 */
public final class OutboxRow {
    public Feed feed;
    public long txId;
    public long eventId;
    public int partitionKey;
    public UUID executionId;
    public String namespace;
    public String eventType;
    public String tagsJson;
    public long occurredAtMs;
    public String detailsJson;

    public FeedPosition position() {
        return new FeedPosition(txId, eventId);
    }
}
