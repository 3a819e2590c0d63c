package io.flowfabric.api.feed;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Namespace;
import java.time.Instant;
import java.util.Map;

/**
 * An operator acted on an execution.
 *
 * @param details small string facts about the action, for example {@code reason}
 */
public record OperatorEvent(
        String cursor,
        ExecutionId executionId,
        Namespace namespace,
        Map<String, String> tags,
        Instant occurredAt,
        Type type,
        Map<String, String> details) implements FeedEvent {

    /** The operator action. */
    public enum Type {
        PRIORITY_CHANGED,
        REPLAYED,
        CANCELLED,
        LEASE_REVOKED
    }
}
