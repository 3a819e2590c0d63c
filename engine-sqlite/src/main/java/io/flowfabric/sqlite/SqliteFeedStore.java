package io.flowfabric.sqlite;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.FeedPosition;
import io.flowfabric.internal.FeedStore;
import io.flowfabric.internal.LaneKey;
import io.flowfabric.internal.OutboxRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The outbox reads and wake-ups of a {@link SqliteStore}.
 *
 * <p>SQLite has one writer and this store runs every transaction on one thread, so event ids are assigned
 * in commit order: a row with a higher id never commits before one with a lower id. Every committed row is
 * therefore settled, the id alone orders a feed ({@code tx_id} is always 0), and reading "ids after the
 * last one delivered" can never skip a row that commits later. This is unlike PostgreSQL, where ids are
 * taken before commit and readers must wait for older transactions (the gap problem).
 *
 * <p>Wake-ups are emitted in-process on the writer thread right after a COMMIT that appended to a feed
 * succeeded (never after a rollback). The sink is {@code directBestEffort}, so emitting never blocks and
 * never buffers without bound: a subscriber without demand just misses that wake-up (the feeds also poll).
 * Each subscriber receives its wake-ups through {@code publishOn}, so its code runs on Reactor's parallel
 * scheduler, never on the writer thread; the writer only hands the signal over to that subscriber's queue.
 */
final class SqliteFeedStore implements FeedStore {

    /** The columns of an outbox table a row is read from ({@code tx_id} is always 0). */
    static final String OUTBOX_COLUMNS = """
            event_id, partition_key, execution_id, namespace, event_type, tags_json, occurred_at_ms, details_json""";

    /** The position of the last row deleted by retention; tx_id is always 0 here. */
    static final String SELECT_TRIMMED = "SELECT tx_id, event_id FROM ff_outbox_trim WHERE feed = ?";

    /** Records a trim position; a watermark never moves back. */
    static final String UPSERT_TRIMMED = """
            INSERT INTO ff_outbox_trim (feed, tx_id, event_id) VALUES (?, 0, ?)
            ON CONFLICT (feed) DO UPDATE SET event_id = max(ff_outbox_trim.event_id, excluded.event_id)""";

    /** The statements of one outbox table. */
    record Statements(String readAfter, String head, String findLatest, String trimPoint, String trimDelete) {
        static Statements of(String table) {
            if (!table.matches("ff_[a-z]+_event")) {
                throw new IllegalArgumentException("not an outbox table: " + table);
            }
            return new Statements(
                    "SELECT " + OUTBOX_COLUMNS + " FROM " + table + " WHERE event_id > ? ORDER BY event_id LIMIT ?",
                    // Past every row ever appended: the newest row, or after a trim of everything the watermark
                    // (trimmed ids are all below the remaining ones, and AUTOINCREMENT never reuses an id).
                    "SELECT coalesce((SELECT max(event_id) FROM " + table + "),"
                            + " (SELECT event_id FROM ff_outbox_trim WHERE feed = ?), 0)",
                    "SELECT " + OUTBOX_COLUMNS + " FROM " + table
                            + " WHERE partition_key = ? AND execution_id = ? ORDER BY event_id DESC LIMIT 1",
                    "SELECT max(event_id) FROM " + table + " WHERE occurred_at_ms < ?",
                    "DELETE FROM " + table + " WHERE event_id <= ?");
        }
    }

    private static final Map<Feed, Statements> STATEMENTS = new EnumMap<>(Feed.class);

    static {
        for (Feed feed : Feed.values()) {
            STATEMENTS.put(feed, Statements.of(feed.table()));
        }
    }

    private final SqliteStore store;
    private final Sinks.Many<Feed> wakeups = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<LaneKey> hints = Sinks.many().multicast().directBestEffort();

    SqliteFeedStore(SqliteStore store) {
        this.store = store;
    }

    static Statements statements(Feed feed) {
        return STATEMENTS.get(feed);
    }

    @Override
    public Flux<OutboxRow> readAfter(Feed feed, FeedPosition after, int limit) {
        if (limit < 1) {
            return Flux.error(new IllegalArgumentException("limit must be positive: " + limit));
        }
        return store.<List<OutboxRow>>readScope(scope -> scope.mono("readAfter", () -> {
            PreparedStatement ps = scope.connection().prepare(statements(feed).readAfter());
            ps.setLong(1, after.eventId());
            ps.setInt(2, limit);
            return rows(feed, ps);
        })).flatMapIterable(rows -> rows);
    }

    @Override
    public Mono<FeedPosition> head(Feed feed) {
        return store.readScope(scope -> scope.mono("head", () -> {
            PreparedStatement ps = scope.connection().prepare(statements(feed).head());
            ps.setString(1, feed.label());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new FeedPosition(0, rs.getLong(1));
            }
        }));
    }

    @Override
    public Mono<FeedPosition> trimmedThrough(Feed feed) {
        return store.readScope(scope -> scope.mono("trimmedThrough", () -> trimmed(scope, feed)));
    }

    /**
     * One write transaction: finds the last row that occurred before {@code olderThanMs}, deletes it and
     * every row before it, and moves the watermark forward (never back).
     */
    @Override
    public Mono<Long> trim(Feed feed, long olderThanMs) {
        return store.writeScope(scope -> scope.mono("trim", () -> {
            Statements sql = statements(feed);
            PreparedStatement point = scope.connection().prepare(sql.trimPoint());
            point.setLong(1, olderThanMs);
            long through;
            try (ResultSet rs = point.executeQuery()) {
                rs.next();
                through = rs.getLong(1);
                if (rs.wasNull()) {
                    return 0L;
                }
            }
            PreparedStatement delete = scope.connection().prepare(sql.trimDelete());
            delete.setLong(1, through);
            long deleted = delete.executeUpdate();
            PreparedStatement mark = scope.connection().prepare(UPSERT_TRIMMED);
            mark.setString(1, feed.label());
            mark.setLong(2, through);
            mark.executeUpdate();
            return deleted;
        }));
    }

    @Override
    public Mono<OutboxRow> findLatest(Feed feed, ExecutionId executionId) {
        return store.readScope(scope -> scope.mono("findLatest", () -> {
            PreparedStatement ps = scope.connection().prepare(statements(feed).findLatest());
            ps.setInt(1, executionId.partition());
            ps.setString(2, executionId.uuid().toString());
            List<OutboxRow> rows = rows(feed, ps);
            return rows.isEmpty() ? null : rows.get(0);
        }));
    }

    /**
     * The feeds committed transactions appended to. Each subscriber gets its signals on Reactor's parallel
     * scheduler; it buffers at most a small queue of them and misses the rest while it requests nothing.
     * Completes when the store closes.
     */
    @Override
    public Flux<Feed> wakeups() {
        return Flux.defer(() -> wakeups.asFlux().publishOn(Schedulers.parallel()));
    }

    /**
     * Called on the writer thread after a COMMIT succeeded, with the feeds that the committed transactions of
     * its group appended to. Only the writer thread emits, so emissions are serialised; {@code tryEmitNext}
     * never blocks and never throws.
     */
    void committed(Set<Feed> appended) {
        for (Feed feed : appended) {
            wakeups.tryEmitNext(feed);
        }
    }

    /** Called on the writer thread after a COMMIT succeeded, with the claim hints of that transaction. */
    void committedClaimable(Set<LaneKey> lanes) {
        for (LaneKey lane : lanes) {
            hints.tryEmitNext(lane);
        }
    }

    /** Claim hints after commits of this store's writer; completes when the store closes. */
    Flux<LaneKey> claimHints() {
        return Flux.defer(() -> hints.asFlux().publishOn(Schedulers.parallel()));
    }

    /** Ends every wake-up subscription; called once when the store closes. */
    void closed() {
        wakeups.tryEmitComplete();
        hints.tryEmitComplete();
    }

    private static FeedPosition trimmed(Scope scope, Feed feed) throws SQLException {
        PreparedStatement ps = scope.connection().prepare(SELECT_TRIMMED);
        ps.setString(1, feed.label());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new FeedPosition(rs.getLong("tx_id"), rs.getLong("event_id")) : FeedPosition.ZERO;
        }
    }

    private static List<OutboxRow> rows(Feed feed, PreparedStatement ps) throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(row(feed, rs));
            }
        }
        return rows;
    }

    private static OutboxRow row(Feed feed, ResultSet rs) throws SQLException {
        OutboxRow row = new OutboxRow();
        row.feed = feed;
        row.eventId = rs.getLong("event_id");
        row.txId = 0; // always 0 on SQLite: the id alone is the position
        row.partitionKey = rs.getInt("partition_key");
        row.executionId = UUID.fromString(rs.getString("execution_id"));
        row.namespace = rs.getString("namespace");
        row.eventType = rs.getString("event_type");
        row.tagsJson = rs.getString("tags_json");
        row.occurredAtMs = rs.getLong("occurred_at_ms");
        row.detailsJson = rs.getString("details_json");
        return row;
    }
}
