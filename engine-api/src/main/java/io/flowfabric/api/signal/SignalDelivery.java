package io.flowfabric.api.signal;

import io.flowfabric.api.feed.SignalEvent;
import java.util.UUID;

/**
 * Result of a delivery: the signal's id (for a deduplicated repeat, the first signal's id) and what it
 * did.
 */
public record SignalDelivery(UUID signalId, SignalEvent.Effect effect) {
}
