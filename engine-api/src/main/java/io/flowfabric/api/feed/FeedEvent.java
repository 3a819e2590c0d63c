package io.flowfabric.api.feed;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Namespace;
import java.time.Instant;
import java.util.Map;

/**
 * An event read from one of the engine's outbox feeds. Every event carries the opaque {@link #cursor()}
 * of its position: a subscription started {@link FeedRequest#after(String) after} it delivers exactly the
 * events that follow.
 */
public sealed interface FeedEvent permits CompletionEvent, LeaseEvent, OperatorEvent, SignalEvent {

    /** The position of this event in its feed, to resume after it. */
    String cursor();

    ExecutionId executionId();

    Namespace namespace();

    /** The execution's tags when the event was written. */
    Map<String, String> tags();

    /** When the change happened, by the engine's clock. */
    Instant occurredAt();
}
