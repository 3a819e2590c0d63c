package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LeaseId;
import io.flowfabric.api.Namespace;
import io.flowfabric.api.WorkerInstanceId;
import io.flowfabric.api.feed.CompletionEvent;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.feed.OperatorEvent;
import io.flowfabric.api.feed.SignalEvent;
import io.flowfabric.api.state.TerminalOutcome;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Maps outbox rows to the public event records. */
final class FeedEvents {
    private FeedEvents() {
    }

    static CompletionEvent completion(String cursor, OutboxRow row) {
        return new CompletionEvent(cursor, id(row), Namespace.of(row.namespace), tags(row), at(row),
                TerminalOutcome.fromLiteral(row.eventType));
    }

    static LeaseEvent lease(String cursor, OutboxRow row) {
        Map<String, String> d = PolicyCodec.decodeTags(row.detailsJson);
        return new LeaseEvent(cursor, id(row), Namespace.of(row.namespace), tags(row), at(row),
                LeaseEvent.Type.valueOf(row.eventType.toUpperCase(Locale.ROOT)),
                LeaseId.of(UUID.fromString(d.get("lease_id"))), Long.parseLong(d.get("lease_epoch")),
                Integer.parseInt(d.get("attempt_index")), WorkerInstanceId.of(d.get("worker_instance_id")));
    }

    static OperatorEvent operator(String cursor, OutboxRow row) {
        return new OperatorEvent(cursor, id(row), Namespace.of(row.namespace), tags(row), at(row),
                OperatorEvent.Type.valueOf(row.eventType.toUpperCase(Locale.ROOT)),
                PolicyCodec.decodeTags(row.detailsJson));
    }

    static SignalEvent signal(String cursor, OutboxRow row) {
        Map<String, String> d = PolicyCodec.decodeTags(row.detailsJson);
        return new SignalEvent(cursor, id(row), Namespace.of(row.namespace), tags(row), at(row),
                d.get("signal_id"), d.get("waitpoint_id"),
                SignalEvent.Effect.valueOf(row.eventType.toUpperCase(Locale.ROOT)));
    }

    static Map<String, String> tags(OutboxRow row) {
        return PolicyCodec.decodeTags(row.tagsJson);
    }

    private static ExecutionId id(OutboxRow row) {
        return new ExecutionId(row.partitionKey, row.executionId);
    }

    private static Instant at(OutboxRow row) {
        return Instant.ofEpochMilli(row.occurredAtMs);
    }
}
