package io.flowfabric.api.feed;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Namespace;
import io.flowfabric.api.state.TerminalOutcome;
import java.time.Instant;
import java.util.Map;

/** An execution reached a terminal outcome ({@code success}, {@code failed}, {@code cancelled}, ...). */
public record CompletionEvent(
        String cursor,
        ExecutionId executionId,
        Namespace namespace,
        Map<String, String> tags,
        Instant occurredAt,
        TerminalOutcome outcome) implements FeedEvent {
}
