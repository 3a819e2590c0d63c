package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads of the outbox tables and the wake-ups that say new rows may be there.
 *
 * <p>Only <em>settled</em> rows are read: rows whose position no later commit can precede. On SQLite every
 * committed row is settled (one writer, ids in commit order). On PostgreSQL ids are taken before commit, so
 * a row is settled only when its transaction id is below the oldest transaction still running
 * ({@code tx_id < pg_snapshot_xmin(pg_current_snapshot())}); this makes reads gap-free under concurrency.
 */
public interface FeedStore {

    /** Up to {@code limit} settled rows strictly after {@code after}, in position order. */
    Flux<OutboxRow> readAfter(Feed feed, FeedPosition after, int limit);

    /** The position of the last settled row, or {@link FeedPosition#ZERO} for an empty feed. */
    Mono<FeedPosition> head(Feed feed);

    /** The highest position retention deleted, or {@link FeedPosition#ZERO}. */
    Mono<FeedPosition> trimmedThrough(Feed feed);

    /**
     * Deletes the settled rows up to the last one that occurred before {@code olderThanMs}, records that
     * position as trimmed, and emits the number of rows deleted.
     */
    Mono<Long> trim(Feed feed, long olderThanMs);

    /** The last settled row of {@code feed} about the execution, or empty. */
    Mono<OutboxRow> findLatest(Feed feed, ExecutionId executionId);

    /**
     * A hot stream that emits a feed after a commit appended to it (at least once per such commit, possibly
     * coalesced) and every feed after the backend (re)gains its notification source, since notifications
     * sent meanwhile are lost. Errors with {@link io.flowfabric.api.error.UnavailableException} when the
     * source cannot be restored within the backend's limit.
     */
    Flux<Feed> wakeups();
}
