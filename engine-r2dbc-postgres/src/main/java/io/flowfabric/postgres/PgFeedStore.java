package io.flowfabric.postgres;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.FeedPosition;
import io.flowfabric.internal.FeedStore;
import io.flowfabric.internal.OutboxRow;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Statement;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The outbox reads over the pool and the wake-ups of the engine's {@link PgListener}.
 *
 * <p>A row's position is {@code (tx_id, event_id)}: {@code tx_id} is the writer's {@code xid8}, taken as
 * a {@code bigint} ({@code tx_id::text::bigint}; a 64-bit xid8 never reaches 2^63 in practice) and bound back
 * as {@code $n::text::xid8}. Identity values are taken before commit, so only <em>settled</em> rows are read:
 * those whose transaction id is below the oldest transaction still running anywhere on the server,
 * {@code tx_id < pg_snapshot_xmin(pg_current_snapshot())}. A row that is not settled yet therefore always
 * sorts after every row already read, which makes {@code readAfter} gap-free under concurrent, out-of-order
 * commits. The price: a long transaction anywhere on the server (even one that never touches an outbox)
 * holds every feed back until it ends.
 *
 * <p>Each feed's statements are fixed strings made once from {@link Feed#table()}; values are only bound.
 */
final class PgFeedStore implements FeedStore {

    /**
     * The columns every row read returns; {@code tx_id} as the bigint {@code tx}. The alias must differ from
     * the column: {@code ORDER BY tx_id} would otherwise sort by the cast output column, not the indexed one.
     */
    private static final String ROW_COLUMNS = """
            tx_id::text::bigint AS tx, event_id, partition_key, execution_id, namespace, event_type,
            tags_json, occurred_at_ms, details_json
            """;

    private static final String SETTLED = "tx_id < pg_snapshot_xmin(pg_current_snapshot())";

    /** The statements of one outbox table. */
    record Statements(String insert, String readAfter, String head, String findLatest, String trimPoint,
            String deleteThrough) {

        static Statements of(String table) {
            String insert = """
                    INSERT INTO %s (partition_key, execution_id, namespace, event_type, tags_json, occurred_at_ms,
                                    details_json)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    """.formatted(table);
            // The row comparison and the ORDER BY both match the (tx_id, event_id) index: a range scan that
            // starts after the cursor, stops at the first unsettled row and after $3 rows.
            String readAfter = "SELECT " + ROW_COLUMNS + """
                    FROM %s
                    WHERE (tx_id, event_id) > ($1::text::xid8, $2) AND %s
                    ORDER BY tx_id, event_id
                    LIMIT $3
                    """.formatted(table, SETTLED);
            String head = """
                    SELECT tx_id::text::bigint AS tx, event_id
                    FROM %s
                    WHERE %s
                    ORDER BY tx_id DESC, event_id DESC
                    LIMIT 1
                    """.formatted(table, SETTLED);
            // Uses the (partition_key, execution_id, event_id) index; an execution has few rows to sort.
            String findLatest = "SELECT " + ROW_COLUMNS + """
                    FROM %s
                    WHERE partition_key = $1 AND execution_id = $2 AND %s
                    ORDER BY tx_id DESC, event_id DESC
                    LIMIT 1
                    """.formatted(table, SETTLED);
            // Walks the position index backwards from the newest settled row to the first old enough one.
            String trimPoint = """
                    SELECT tx_id::text::bigint AS tx, event_id
                    FROM %s
                    WHERE occurred_at_ms < $1 AND %s
                    ORDER BY tx_id DESC, event_id DESC
                    LIMIT 1
                    """.formatted(table, SETTLED);
            // Every row at or before a settled position is settled itself (its tx_id is no larger).
            String deleteThrough = """
                    DELETE FROM %s
                    WHERE (tx_id, event_id) <= ($1::text::xid8, $2)
                    """.formatted(table);
            return new Statements(insert, readAfter, head, findLatest, trimPoint, deleteThrough);
        }
    }

    private static final Map<Feed, Statements> STATEMENTS = new EnumMap<>(Feed.class);

    static {
        for (Feed feed : Feed.values()) {
            STATEMENTS.put(feed, Statements.of(feed.table()));
        }
    }

    static final String SELECT_TRIMMED = """
            SELECT tx_id AS tx, event_id
            FROM ff_outbox_trim
            WHERE feed = $1
            """;

    /** Records a trim watermark; a concurrent or older trim never moves it back. */
    static final String RECORD_TRIMMED = """
            INSERT INTO ff_outbox_trim (feed, tx_id, event_id)
            VALUES ($1, $2, $3)
            ON CONFLICT (feed) DO UPDATE
                SET tx_id = EXCLUDED.tx_id, event_id = EXCLUDED.event_id
                WHERE (ff_outbox_trim.tx_id, ff_outbox_trim.event_id) < (EXCLUDED.tx_id, EXCLUDED.event_id)
            """;

    private final PgStore store;
    private final PgListener listener;

    PgFeedStore(PgStore store, PgListener listener) {
        this.store = store;
        this.listener = listener;
    }

    /** The statements of {@code feed}'s table. */
    static Statements statements(Feed feed) {
        Statements statements = STATEMENTS.get(feed);
        if (statements == null) {
            throw new IllegalArgumentException("an outbox row needs a feed");
        }
        return statements;
    }

    /** Binds an append to {@code $1..$7}; a missing NOT NULL value is a bug and fails before the server. */
    static void bindAppend(Statement statement, OutboxRow row) {
        requireComplete(row);
        statement.bind(0, (short) row.partitionKey).bind(1, row.executionId).bind(2, row.namespace)
                .bind(3, row.eventType).bind(4, Json.of(row.tagsJson)).bind(5, row.occurredAtMs)
                .bind(6, Json.of(row.detailsJson));
    }

    /** Rejects an outbox row without one of the values its table requires. */
    static void requireComplete(OutboxRow row) {
        if (row.executionId == null || row.namespace == null || row.eventType == null || row.tagsJson == null
                || row.detailsJson == null) {
            throw new IllegalArgumentException("an outbox row of the " + row.feed.label()
                    + " feed lacks execution id, namespace, event type, tags or details");
        }
    }

    @Override
    public Flux<OutboxRow> readAfter(Feed feed, FeedPosition after, int limit) {
        FeedPosition from = clamp(after);
        return store.reading(session -> session.query(statements(feed).readAfter(),
                s -> s.bind(0, Long.toString(from.txId())).bind(1, from.eventId()).bind(2, limit),
                r -> row(feed, r)));
    }

    @Override
    public Mono<FeedPosition> head(Feed feed) {
        return store.reading(session -> session.query(statements(feed).head(), s -> { }, PgFeedStore::position))
                .next().defaultIfEmpty(FeedPosition.ZERO);
    }

    @Override
    public Mono<FeedPosition> trimmedThrough(Feed feed) {
        return store.reading(session -> session.query(SELECT_TRIMMED, s -> s.bind(0, feed.label()),
                PgFeedStore::position)).next().defaultIfEmpty(FeedPosition.ZERO);
    }

    /*
     * One transaction: find the last settled row old enough, delete every row up to it, raise the
     * watermark. Rows after that position are kept even when they are old too, so what is deleted is
     * always a prefix of the feed and the watermark says exactly which.
     */
    @Override
    public Mono<Long> trim(Feed feed, long olderThanMs) {
        Statements sql = statements(feed);
        return store.transactional(session -> session.query(sql.trimPoint(), s -> s.bind(0, olderThanMs),
                        PgFeedStore::position).next()
                .flatMap(point -> session.update(sql.deleteThrough(),
                                s -> s.bind(0, Long.toString(point.txId())).bind(1, point.eventId()))
                        .flatMap(deleted -> session.update(RECORD_TRIMMED, s -> s.bind(0, feed.label())
                                .bind(1, point.txId()).bind(2, point.eventId())).thenReturn(deleted)))
                .defaultIfEmpty(0L));
    }

    @Override
    public Mono<OutboxRow> findLatest(Feed feed, ExecutionId executionId) {
        return store.reading(session -> session.query(statements(feed).findLatest(),
                s -> PgReads.bindId(s, executionId), r -> row(feed, r))).next();
    }

    @Override
    public Flux<Feed> wakeups() {
        return listener.wakeups();
    }

    // Transaction ids are never negative; a tampered cursor below every row reads from the start instead of
    // failing the xid8 cast.
    private static FeedPosition clamp(FeedPosition position) {
        return position.txId() < 0 ? FeedPosition.ZERO : position;
    }

    private static FeedPosition position(Readable r) {
        return new FeedPosition(r.get("tx", Long.class), r.get("event_id", Long.class));
    }

    private static OutboxRow row(Feed feed, Readable r) {
        OutboxRow row = new OutboxRow();
        row.feed = feed;
        row.txId = r.get("tx", Long.class);
        row.eventId = r.get("event_id", Long.class);
        row.partitionKey = r.get("partition_key", Integer.class);
        row.executionId = r.get("execution_id", UUID.class);
        row.namespace = r.get("namespace", String.class);
        row.eventType = r.get("event_type", String.class);
        row.tagsJson = r.get("tags_json", String.class);
        row.occurredAtMs = r.get("occurred_at_ms", Long.class);
        row.detailsJson = r.get("details_json", String.class);
        return row;
    }
}
