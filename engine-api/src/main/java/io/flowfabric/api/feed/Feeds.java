package io.flowfabric.api.feed;

import io.flowfabric.api.ExecutionId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Subscriptions to the engine's outbox feeds. Outbox rows are written in the same transaction as the
 * change they describe, so a feed never shows a change that did not commit and never misses one that did.
 * A subscription first delivers the stored events after its start position, then waits for new ones; it
 * reads pages only as fast as the subscriber requests, delivers each event once, in the feed's order, and
 * can be resumed after any event's cursor.
 *
 * <p>Errors: a malformed cursor or one from another feed or backend is a
 * {@link io.flowfabric.api.error.ValidationException} ({@code INVALID_CURSOR}); a cursor older than the
 * retained history is a {@link FeedCursorTrimmedException}; a database that stays unreachable past the
 * engine's limit ends the feed with {@link FeedDisconnectedException} carrying the last delivered cursor.
 */
public interface Feeds {

    /** Executions reaching a terminal outcome. */
    Flux<CompletionEvent> completions(FeedRequest request);

    /** Lease issuance, renewal, release, expiry, reclaim and revocation. */
    Flux<LeaseEvent> leaseHistory(FeedRequest request);

    /** Operator actions. */
    Flux<OperatorEvent> operatorEvents(FeedRequest request);

    /** Signal deliveries. */
    Flux<SignalEvent> signalDeliveries(FeedRequest request);

    /**
     * The cursor of the feed's current end: a subscription {@link FeedRequest#after(String) after} it
     * delivers exactly the events that settle later. Take it before starting work whose events must all be
     * seen, then subscribe after it: nothing falls between.
     */
    Mono<String> headCursor(FeedName feed);

    /**
     * The completion event of {@code executionId}: the stored one if it already completed, otherwise the
     * next one. Race-free: it subscribes to the feed before checking the current state.
     */
    Mono<CompletionEvent> awaitCompletion(ExecutionId executionId);

    /**
     * Deletes outbox rows of every feed that occurred before {@code olderThan}; emits how many were deleted.
     * Cursors pointing into the deleted range then fail with {@link FeedCursorTrimmedException}.
     */
    Mono<Long> trim(java.time.Instant olderThan);
}
