package io.flowfabric.api.feed;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LeaseId;
import io.flowfabric.api.Namespace;
import io.flowfabric.api.WorkerInstanceId;
import java.time.Instant;
import java.util.Map;

/**
 * A change in the lease history of an execution.
 *
 * @param leaseEpoch the fencing token of the lease the event is about
 * @param attemptIndex the attempt the lease runs
 */
public record LeaseEvent(
        String cursor,
        ExecutionId executionId,
        Namespace namespace,
        Map<String, String> tags,
        Instant occurredAt,
        Type type,
        LeaseId leaseId,
        long leaseEpoch,
        int attemptIndex,
        WorkerInstanceId workerInstanceId) implements FeedEvent {

    /** What happened to the lease. */
    public enum Type {
        /** Issued by a claim. */
        ACQUIRED,
        /** Extended by its holder. */
        RENEWED,
        /** Given up by its holder (complete, fail, cancel, delay). */
        RELEASED,
        /** Lapsed without renewal. */
        EXPIRED,
        /** A lapsed or revoked lease was replaced by a reclaim. */
        RECLAIMED,
        /** Taken away by an operator (revoke or cancel). */
        REVOKED
    }
}
