package io.flowfabric.internal;

import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.feed.OperatorEvent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds the outbox rows the operations append, from the execution row after its change. */
final class Events {
    private Events() {
    }

    /** The execution reached its terminal outcome. */
    static OutboxRow completion(ExecutionRow row, long nowMs) {
        return base(Feed.COMPLETION, row, row.terminalOutcome.literal(), Map.of(), nowMs);
    }

    /** Something happened to the execution's current (or last) lease. */
    static OutboxRow lease(ExecutionRow row, LeaseEvent.Type type, long nowMs) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("lease_id", row.leaseId.toString());
        details.put("lease_epoch", Long.toString(row.leaseEpoch));
        details.put("attempt_index", Integer.toString(row.currentAttemptIndex));
        details.put("worker_instance_id", row.leaseWorkerInstanceId);
        return base(Feed.LEASE, row, type.name().toLowerCase(Locale.ROOT), details, nowMs);
    }

    /** An operator acted on the execution. */
    static OutboxRow operator(ExecutionRow row, OperatorEvent.Type type, Map<String, String> details, long nowMs) {
        return base(Feed.OPERATOR, row, type.name().toLowerCase(Locale.ROOT), details, nowMs);
    }

    /** A signal was delivered to one of the execution's waitpoints. */
    static OutboxRow signal(ExecutionRow row, io.flowfabric.api.feed.SignalEvent.Effect effect,
            java.util.UUID signalId, java.util.UUID waitpointId, long nowMs) {
        return base(Feed.SIGNAL, row, effect.name().toLowerCase(Locale.ROOT),
                Map.of("signal_id", signalId.toString(), "waitpoint_id", waitpointId.toString()), nowMs);
    }

    private static OutboxRow base(Feed feed, ExecutionRow row, String type, Map<String, String> details, long nowMs) {
        OutboxRow event = new OutboxRow();
        event.feed = feed;
        event.partitionKey = row.partitionKey;
        event.executionId = row.executionId;
        event.namespace = row.namespace;
        event.eventType = type;
        event.tagsJson = row.tagsJson;
        event.occurredAtMs = nowMs;
        event.detailsJson = PolicyCodec.encodeTags(details);
        return event;
    }
}
