package io.flowfabric.api.feed;

import io.flowfabric.api.Namespace;
import io.flowfabric.api.Tags;
import io.flowfabric.api.error.ValidationException;

/**
 * Where a feed subscription starts and which events it delivers.
 *
 * @param start where to start: {@link Start#NOW}, {@link Start#BEGINNING} of retained history, or
 *     {@link Start#AFTER_CURSOR}
 * @param cursor with {@code AFTER_CURSOR}: the cursor of the last event already processed
 * @param namespace only events of this namespace, or {@code null} for all
 * @param tagKey with {@code tagValue}: only events of executions carrying this tag, or {@code null}
 */
public record FeedRequest(Start start, String cursor, Namespace namespace, String tagKey, String tagValue) {

    /** Where a subscription starts. */
    public enum Start {
        NOW,
        BEGINNING,
        AFTER_CURSOR
    }

    public FeedRequest {
        if (start == null) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "feed start is required");
        }
        if ((start == Start.AFTER_CURSOR) != (cursor != null)) {
            throw new ValidationException(ValidationException.Kind.INVALID_CURSOR,
                    "a cursor is required exactly when starting after a cursor");
        }
        if ((tagKey == null) != (tagValue == null)) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                    "a tag filter needs both key and value");
        }
        if (tagKey != null) {
            Tags.requireKey(tagKey);
        }
    }

    /** Events committed after the subscription starts. */
    public static FeedRequest fromNow() {
        return new FeedRequest(Start.NOW, null, null, null, null);
    }

    /** Every retained event, then new ones. */
    public static FeedRequest fromBeginning() {
        return new FeedRequest(Start.BEGINNING, null, null, null, null);
    }

    /** Events strictly after the one {@code cursor} belongs to. */
    public static FeedRequest after(String cursor) {
        return new FeedRequest(Start.AFTER_CURSOR, cursor, null, null, null);
    }

    public FeedRequest withNamespace(Namespace value) {
        return new FeedRequest(start, cursor, value, tagKey, tagValue);
    }

    public FeedRequest withTag(String key, String value) {
        return new FeedRequest(start, cursor, namespace, key, value);
    }

    /** Whether an event with this namespace and tags passes the filter. */
    public boolean matches(Namespace eventNamespace, java.util.Map<String, String> tags) {
        return (namespace == null || namespace.equals(eventNamespace))
                && (tagKey == null || tagValue.equals(tags.get(tagKey)));
    }
}
