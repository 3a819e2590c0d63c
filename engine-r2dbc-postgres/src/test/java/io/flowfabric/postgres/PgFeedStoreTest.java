package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.FeedPosition;
import io.flowfabric.internal.FeedStore;
import io.flowfabric.internal.OutboxRow;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * {@code appendEvent} and the {@link FeedStore} reads: round trip, settled-row gating under transactions that
 * commit out of order, head, trim and findLatest. Each test has its own database: feeds and trims are
 * table-wide.
 */
class PgFeedStoreTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private PostgresOptions options;
    private PgStore store;
    private FeedStore feeds;
    private String ns;

    @BeforeEach
    void open() {
        options = PostgresTestDatabase.instance().freshDatabase();
        store = PostgresEngine.openStore(options).block(TIMEOUT);
        feeds = store.feeds();
        ns = TestRows.uniqueNamespace();
    }

    @AfterEach
    void close() {
        store.close().block(TIMEOUT);
    }

    @Test
    void appendedRowsReadBackInPositionOrderWithEveryColumn() {
        OutboxRow first = TestRows.outbox(Feed.COMPLETION, ns, "success", "a", T0);
        OutboxRow second = TestRows.outbox(Feed.COMPLETION, ns, "failed", "b", T0 + 1);
        OutboxRow lease = TestRows.outbox(Feed.LEASE, ns, "acquired", "c", T0 + 2);
        store.inTransaction(tx -> tx.appendEvent(first).then(tx.appendEvent(second)).then(tx.appendEvent(lease)))
                .block(TIMEOUT);
        OutboxRow third = TestRows.outbox(Feed.COMPLETION, ns, "cancelled", "d", T0 + 3);
        append(third);

        List<OutboxRow> rows = feeds.readAfter(Feed.COMPLETION, FeedPosition.ZERO, 10).collectList().block(TIMEOUT);

        assertThat(rows).hasSize(3);
        assertThat(rows).usingRecursiveFieldByFieldElementComparatorIgnoringFields("txId", "eventId")
                .containsExactly(first, second, third);
        assertThat(rows.get(0).txId).isPositive().isEqualTo(rows.get(1).txId).isLessThan(rows.get(2).txId);
        assertThat(rows.get(0).eventId).isLessThan(rows.get(1).eventId);
        assertThat(rows.get(0).tagsJson).isEqualTo("{\"test\": \"a\"}");
        assertThat(feeds.readAfter(Feed.COMPLETION, rows.get(0).position(), 1).collectList().block(TIMEOUT))
                .extracting(OutboxRow::position).containsExactly(rows.get(1).position());
        assertThat(feeds.readAfter(Feed.COMPLETION, rows.get(2).position(), 10).collectList().block(TIMEOUT))
                .isEmpty();
        assertThat(feeds.readAfter(Feed.LEASE, FeedPosition.ZERO, 10).collectList().block(TIMEOUT))
                .singleElement().satisfies(row -> {
                    assertThat(row.feed).isEqualTo(Feed.LEASE);
                    assertThat(row.executionId).isEqualTo(lease.executionId);
                });
        // A cursor below every transaction id (negative: tampered) reads from the start instead of failing.
        assertThat(feeds.readAfter(Feed.COMPLETION, new FeedPosition(-1, 5), 10).count().block(TIMEOUT)).isEqualTo(3);
    }

    /*
     * The held-open transaction: A appends first (lower event id) and stays open; B appends and
     * commits. Reading by event id alone would return B and then skip A forever. Gated reads return neither
     * while A runs (B's tx_id is above A's, the snapshot xmin), then both in order.
     */
    @Test
    void aRowCommittedAfterAnOpenTransactionsRowWaitsForIt() {
        OutboxRow a = TestRows.outbox(Feed.COMPLETION, ns, "success", "a", T0);
        OutboxRow b = TestRows.outbox(Feed.COMPLETION, ns, "success", "b", T0);
        Sinks.Empty<Void> releaseA = Sinks.empty();
        Sinks.Empty<Void> aAppended = Sinks.empty();
        Mono<Void> transactionA = store.inTransaction(tx -> tx.appendEvent(a).then(((PgTx) tx).flush())
                .then(Mono.fromRunnable(aAppended::tryEmitEmpty)).then(releaseA.asMono())).cache();
        transactionA.subscribe();
        aAppended.asMono().block(TIMEOUT);

        append(b);
        FeedPosition cursor = FeedPosition.ZERO;
        List<OutboxRow> whileAOpen = feeds.readAfter(Feed.COMPLETION, cursor, 10).collectList().block(TIMEOUT);
        assertThat(whileAOpen).isEmpty();
        assertThat(feeds.head(Feed.COMPLETION).block(TIMEOUT)).isEqualTo(FeedPosition.ZERO);

        releaseA.tryEmitEmpty();
        transactionA.block(TIMEOUT);
        List<OutboxRow> after = feeds.readAfter(Feed.COMPLETION, cursor, 10).collectList().block(TIMEOUT);
        assertThat(after).extracting(row -> row.executionId).containsExactly(a.executionId, b.executionId);
        assertThat(after.get(0).eventId).isLessThan(after.get(1).eventId);
        assertThat(feeds.head(Feed.COMPLETION).block(TIMEOUT)).isEqualTo(after.get(1).position());
    }

    /*
     * The other interleaving: B took its transaction id first (lower tx_id) but appends after A (higher
     * event id) and commits while A is open. B's row is settled and readable at once; A's row sorts after it
     * by tx_id, so a reader whose cursor already passed B still gets A.
     */
    @Test
    void aRowOfAnOlderTransactionIsReadFirstAndTheYoungerOneIsNotSkipped() {
        OutboxRow a = TestRows.outbox(Feed.COMPLETION, ns, "success", "a", T0);
        OutboxRow b = TestRows.outbox(Feed.COMPLETION, ns, "success", "b", T0);
        Sinks.Empty<Void> bHasXid = Sinks.empty();
        Sinks.Empty<Void> aAppended = Sinks.empty();
        Sinks.Empty<Void> releaseA = Sinks.empty();
        Mono<Long> transactionB = store.transactional(session -> session.query("SELECT pg_current_xact_id()::text",
                        s -> { }, r -> r.get(0, String.class)).then()
                .then(Mono.fromRunnable(bHasXid::tryEmitEmpty))
                .then(aAppended.asMono())
                .then(session.update(PgFeedStore.statements(Feed.COMPLETION).insert(),
                        s -> PgFeedStore.bindAppend(s, b)))).cache();
        transactionB.subscribe();
        bHasXid.asMono().block(TIMEOUT);
        Mono<Void> transactionA = store.inTransaction(tx -> tx.appendEvent(a).then(((PgTx) tx).flush())
                .then(Mono.fromRunnable(aAppended::tryEmitEmpty)).then(releaseA.asMono())).cache();
        transactionA.subscribe();
        transactionB.block(TIMEOUT);

        List<OutboxRow> first = feeds.readAfter(Feed.COMPLETION, FeedPosition.ZERO, 10).collectList().block(TIMEOUT);
        assertThat(first).extracting(row -> row.executionId).containsExactly(b.executionId);
        FeedPosition cursor = first.get(0).position();

        releaseA.tryEmitEmpty();
        transactionA.block(TIMEOUT);
        List<OutboxRow> second = feeds.readAfter(Feed.COMPLETION, cursor, 10).collectList().block(TIMEOUT);
        assertThat(second).extracting(row -> row.executionId).containsExactly(a.executionId);
        assertThat(second.get(0).eventId).isLessThan(cursor.eventId());
        assertThat(second.get(0).txId).isGreaterThan(cursor.txId());
    }

    @Test
    void concurrentWritersAreReadExactlyOnceByAPollingReader() {
        int writers = 8;
        int perWriter = 150;
        Flux<Void> writes = Flux.range(0, writers).flatMap(w -> Flux.range(0, perWriter)
                .concatMap(i -> store.inTransaction(tx -> tx.appendEvent(
                        TestRows.outbox(Feed.LEASE, ns, "renewed", w + "-" + i, T0))))
                .subscribeOn(Schedulers.parallel()), writers);
        List<OutboxRow> seen = new java.util.ArrayList<>();
        FeedPosition[] cursor = {FeedPosition.ZERO};
        Mono<Void> poll = Mono.defer(() -> feeds.readAfter(Feed.LEASE, cursor[0], 37).collectList()
                .doOnNext(rows -> {
                    seen.addAll(rows);
                    if (!rows.isEmpty()) {
                        cursor[0] = rows.get(rows.size() - 1).position();
                    }
                }).then(Mono.delay(Duration.ofMillis(2))).then());
        Mono<Void> reader = poll.repeat(() -> seen.size() < writers * perWriter).then();

        Mono.when(writes, reader).block(Duration.ofSeconds(120));

        assertThat(seen).hasSize(writers * perWriter);
        assertThat(seen.stream().map(OutboxRow::position).distinct()).hasSize(writers * perWriter);
        assertThat(seen).extracting(OutboxRow::position).isSorted();
    }

    @Test
    void readsAndTrimsUseTheirIndexes() {
        Flux.range(0, 40).concatMap(i -> store.inTransaction(tx -> Flux.range(0, 50)
                .concatMap(j -> tx.appendEvent(TestRows.outbox(Feed.COMPLETION, ns, "success", "x", T0 + i)))
                .then())).blockLast(Duration.ofSeconds(60));
        PostgresTestDatabase.execute(options, "ANALYZE ff_completion_event");
        FeedPosition early = feeds.readAfter(Feed.COMPLETION, FeedPosition.ZERO, 10).last().block(TIMEOUT)
                .position();

        String readPlan = explain(PgFeedStore.statements(Feed.COMPLETION).readAfter(),
                List.of(Long.toString(early.txId()), early.eventId(), 100));
        String deletePlan = explain(PgFeedStore.statements(Feed.COMPLETION).deleteThrough(),
                List.of(Long.toString(early.txId()), early.eventId()));

        String headPlan = explain(PgFeedStore.statements(Feed.COMPLETION).head(), List.of());
        OutboxRow some = feeds.readAfter(Feed.COMPLETION, early, 1).blockFirst(TIMEOUT);
        String latestPlan = explain(PgFeedStore.statements(Feed.COMPLETION).findLatest(),
                List.of((short) some.partitionKey, some.executionId));

        assertThat(readPlan).contains("Index Scan using ff_completion_event_position_idx")
                .doesNotContain("Sort");
        assertThat(deletePlan).contains("ff_completion_event_position_idx");
        assertThat(headPlan).contains("Scan Backward using ff_completion_event_position_idx")
                .doesNotContain("Sort");
        assertThat(latestPlan).contains("ff_completion_event_execution_idx");
    }

    @Test
    void headTrimAndTrimmedThroughOnAnEmptyFeed() {
        StepVerifier.create(feeds.head(Feed.SIGNAL)).expectNext(FeedPosition.ZERO).verifyComplete();
        StepVerifier.create(feeds.trimmedThrough(Feed.SIGNAL)).expectNext(FeedPosition.ZERO).verifyComplete();
        StepVerifier.create(feeds.trim(Feed.SIGNAL, Long.MAX_VALUE)).expectNext(0L).verifyComplete();
        StepVerifier.create(feeds.trimmedThrough(Feed.SIGNAL)).expectNext(FeedPosition.ZERO).verifyComplete();
        StepVerifier.create(feeds.findLatest(Feed.SIGNAL, ExecutionId.solo(io.flowfabric.api.LaneId.of("l"))))
                .verifyComplete();
    }

    @Test
    void trimDeletesAPrefixAndRecordsTheHighestWatermark() {
        append(TestRows.outbox(Feed.OPERATOR, ns, "cancelled", "1", T0));
        append(TestRows.outbox(Feed.OPERATOR, ns, "cancelled", "2", T0 + 100));
        OutboxRow r3 = append(TestRows.outbox(Feed.OPERATOR, ns, "cancelled", "3", T0 + 200));
        List<OutboxRow> rows = readAll(Feed.OPERATOR);
        assertThat(feeds.head(Feed.OPERATOR).block(TIMEOUT)).isEqualTo(rows.get(2).position());

        assertThat(feeds.trim(Feed.OPERATOR, T0 + 101).block(TIMEOUT)).isEqualTo(2L);
        assertThat(feeds.trimmedThrough(Feed.OPERATOR).block(TIMEOUT)).isEqualTo(rows.get(1).position());
        assertThat(readAll(Feed.OPERATOR)).extracting(row -> row.executionId).containsExactly(r3.executionId);
        assertThat(feeds.trimmedThrough(Feed.COMPLETION).block(TIMEOUT)).isEqualTo(FeedPosition.ZERO);

        // Nothing left that is old enough: no change, and the watermark never moves back.
        assertThat(feeds.trim(Feed.OPERATOR, T0 + 1).block(TIMEOUT)).isZero();
        assertThat(feeds.trimmedThrough(Feed.OPERATOR).block(TIMEOUT)).isEqualTo(rows.get(1).position());

        // A later row that occurred early takes every row before it along: trims are prefixes.
        OutboxRow r4 = append(TestRows.outbox(Feed.OPERATOR, ns, "cancelled", "4", T0));
        append(TestRows.outbox(Feed.OPERATOR, ns, "cancelled", "5", T0 + 500));
        assertThat(feeds.trim(Feed.OPERATOR, T0 + 101).block(TIMEOUT)).isEqualTo(2L);
        assertThat(feeds.findLatest(Feed.OPERATOR, id(r4)).block(TIMEOUT)).isNull();
        assertThat(readAll(Feed.OPERATOR)).extracting(row -> row.tagsJson).containsExactly("{\"test\": \"5\"}");
        assertThat(feeds.trimmedThrough(Feed.OPERATOR).block(TIMEOUT)).isGreaterThan(rows.get(2).position());
    }

    @Test
    void findLatestReturnsTheLastSettledRowOfTheExecution() {
        OutboxRow first = TestRows.outbox(Feed.LEASE, ns, "acquired", "x", T0);
        OutboxRow other = TestRows.outbox(Feed.LEASE, ns, "acquired", "y", T0);
        OutboxRow second = sameExecution(first, "renewed", T0 + 1);
        append(first);
        append(other);
        append(second);
        append(TestRows.outbox(Feed.COMPLETION, ns, "success", "x", T0));

        assertThat(feeds.findLatest(Feed.LEASE, id(first)).block(TIMEOUT))
                .satisfies(row -> assertThat(row.eventType).isEqualTo("renewed"));
        assertThat(feeds.findLatest(Feed.LEASE, id(other)).block(TIMEOUT).eventType).isEqualTo("acquired");

        // A row whose transaction is still open is not returned yet.
        Sinks.Empty<Void> release = Sinks.empty();
        Sinks.Empty<Void> appended = Sinks.empty();
        Mono<Void> open = store.inTransaction(tx -> tx.appendEvent(sameExecution(first, "released", T0 + 2))
                .then(Mono.fromRunnable(appended::tryEmitEmpty)).then(release.asMono())).cache();
        open.subscribe();
        appended.asMono().block(TIMEOUT);
        assertThat(feeds.findLatest(Feed.LEASE, id(first)).block(TIMEOUT).eventType).isEqualTo("renewed");
        release.tryEmitEmpty();
        open.block(TIMEOUT);
        assertThat(feeds.findLatest(Feed.LEASE, id(first)).block(TIMEOUT).eventType).isEqualTo("released");
    }

    private OutboxRow append(OutboxRow row) {
        store.inTransaction(tx -> tx.appendEvent(row)).block(TIMEOUT);
        return row;
    }

    private List<OutboxRow> readAll(Feed feed) {
        return feeds.readAfter(feed, FeedPosition.ZERO, 10_000).collectList().block(TIMEOUT);
    }

    private static ExecutionId id(OutboxRow row) {
        return new ExecutionId(row.partitionKey, row.executionId);
    }

    private static OutboxRow sameExecution(OutboxRow base, String type, long occurredAtMs) {
        OutboxRow row = TestRows.outbox(base.feed, base.namespace, type, "x", occurredAtMs);
        row.partitionKey = base.partitionKey;
        row.executionId = base.executionId;
        return row;
    }

    private String explain(String sql, List<Object> values) {
        return store.reading(session -> session.query("EXPLAIN " + sql, s -> {
            for (int i = 0; i < values.size(); i++) {
                s.bind(i, values.get(i));
            }
        }, r -> r.get(0, String.class))).collectList().map(lines -> String.join("\n", lines)).block(TIMEOUT);
    }
}
