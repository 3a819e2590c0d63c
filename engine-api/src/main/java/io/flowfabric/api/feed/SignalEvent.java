package io.flowfabric.api.feed;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Namespace;
import java.time.Instant;
import java.util.Map;

/**
 * A signal was delivered to a waitpoint of an execution.
 *
 * @param signalId the delivered signal
 * @param waitpointId the waitpoint it was delivered to
 * @param effect what the delivery did
 */
public record SignalEvent(
        String cursor,
        ExecutionId executionId,
        Namespace namespace,
        Map<String, String> tags,
        Instant occurredAt,
        String signalId,
        String waitpointId,
        Effect effect) implements FeedEvent {

    /** What a delivered signal did. */
    public enum Effect {
        /** It satisfied the resume condition. */
        SATISFIED,
        /** It was recorded and the execution keeps waiting. */
        BUFFERED,
        /** It repeated an earlier signal's idempotency key and was ignored. */
        DEDUPLICATED
    }
}
