package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.FeedPosition;
import io.flowfabric.internal.FeedStore;
import io.flowfabric.internal.OutboxRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The outbox SPI against a SQLite file; {@link SqliteInMemoryFeedStoreTest} repeats it in memory. */
class SqliteFeedStoreTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    SqliteStore store;
    FeedStore feeds;

    SqliteOptions options() {
        return SqliteOptions.file(dir.resolve("feeds.db"));
    }

    @BeforeEach
    void open() {
        store = SqliteStore.open(options()).block(TIMEOUT);
        feeds = store.feeds();
    }

    @AfterEach
    void close() {
        store.close().block(TIMEOUT);
    }

    static OutboxRow event(Feed feed, ExecutionId id, String type, long occurredAtMs) {
        OutboxRow row = new OutboxRow();
        row.feed = feed;
        row.partitionKey = id.partition();
        row.executionId = id.uuid();
        row.namespace = "ns";
        row.eventType = type;
        row.tagsJson = "{\"team\":\"a\"}";
        row.occurredAtMs = occurredAtMs;
        row.detailsJson = "{\"k\":\"v\"}";
        return row;
    }

    static ExecutionId newId() {
        return new ExecutionId(7, UUID.randomUUID());
    }

    void append(OutboxRow... rows) {
        store.inTransaction(tx -> Flux.fromArray(rows).concatMap(tx::appendEvent).then()).block(TIMEOUT);
    }

    List<OutboxRow> readAll(Feed feed) {
        return feeds.readAfter(feed, FeedPosition.ZERO, 10_000).collectList().block(TIMEOUT);
    }

    @Test
    void everyFeedInsertsIntoItsOwnTable() {
        for (Feed feed : Feed.values()) {
            assertThat(SqliteTx.INSERT_EVENT.get(feed)).contains("INSERT INTO " + feed.table() + " (");
        }
    }

    @Test
    void appendsAndReadsRowsInPositionOrder() {
        ExecutionId id = newId();
        append(event(Feed.COMPLETION, id, "success", 100), event(Feed.LEASE, id, "acquired", 101),
                event(Feed.COMPLETION, id, "failed", 102));
        append(event(Feed.COMPLETION, id, "cancelled", 103));

        List<OutboxRow> rows = readAll(Feed.COMPLETION);

        assertThat(rows).extracting(r -> r.eventType).containsExactly("success", "failed", "cancelled");
        assertThat(rows).extracting(OutboxRow::position).isSortedAccordingTo(FeedPosition::compareTo)
                .allSatisfy(p -> assertThat(p.txId()).isZero());
        OutboxRow first = rows.get(0);
        assertThat(first.feed).isEqualTo(Feed.COMPLETION);
        assertThat(first.partitionKey).isEqualTo(7);
        assertThat(first.executionId).isEqualTo(id.uuid());
        assertThat(first.namespace).isEqualTo("ns");
        assertThat(first.tagsJson).isEqualTo("{\"team\":\"a\"}");
        assertThat(first.occurredAtMs).isEqualTo(100);
        assertThat(first.detailsJson).isEqualTo("{\"k\":\"v\"}");
        assertThat(readAll(Feed.LEASE)).extracting(r -> r.eventType).containsExactly("acquired");
        assertThat(readAll(Feed.SIGNAL)).isEmpty();
    }

    @Test
    void readsPageByPageStrictlyAfterThePosition() {
        ExecutionId id = newId();
        for (int i = 0; i < 5; i++) {
            append(event(Feed.OPERATOR, id, "replayed", i));
        }

        List<OutboxRow> page = feeds.readAfter(Feed.OPERATOR, FeedPosition.ZERO, 2).collectList().block(TIMEOUT);
        assertThat(page).extracting(r -> r.occurredAtMs).containsExactly(0L, 1L);
        List<OutboxRow> next = feeds.readAfter(Feed.OPERATOR, page.get(1).position(), 2).collectList().block(TIMEOUT);
        assertThat(next).extracting(r -> r.occurredAtMs).containsExactly(2L, 3L);
        List<OutboxRow> last = feeds.readAfter(Feed.OPERATOR, next.get(1).position(), 2).collectList().block(TIMEOUT);
        assertThat(last).extracting(r -> r.occurredAtMs).containsExactly(4L);
        StepVerifier.create(feeds.readAfter(Feed.OPERATOR, last.get(0).position(), 2)).verifyComplete();
    }

    @Test
    void headIsTheLastRowOrZero() {
        assertThat(feeds.head(Feed.SIGNAL).block(TIMEOUT)).isEqualTo(FeedPosition.ZERO);
        ExecutionId id = newId();
        append(event(Feed.SIGNAL, id, "buffered", 1), event(Feed.SIGNAL, id, "satisfied", 2));

        List<OutboxRow> rows = readAll(Feed.SIGNAL);
        assertThat(feeds.head(Feed.SIGNAL).block(TIMEOUT)).isEqualTo(rows.get(1).position());
        assertThat(feeds.head(Feed.LEASE).block(TIMEOUT)).isEqualTo(FeedPosition.ZERO);
    }

    @Test
    void trimDeletesThroughTheLastOldRowAndKeepsTheWatermark() {
        ExecutionId id = newId();
        append(event(Feed.LEASE, id, "acquired", 100), event(Feed.LEASE, id, "renewed", 200),
                event(Feed.LEASE, id, "released", 300), event(Feed.COMPLETION, id, "success", 50));
        List<OutboxRow> rows = readAll(Feed.LEASE);
        assertThat(feeds.trimmedThrough(Feed.LEASE).block(TIMEOUT)).isEqualTo(FeedPosition.ZERO);

        assertThat(feeds.trim(Feed.LEASE, 250).block(TIMEOUT)).isEqualTo(2L);

        assertThat(feeds.trimmedThrough(Feed.LEASE).block(TIMEOUT)).isEqualTo(rows.get(1).position());
        assertThat(readAll(Feed.LEASE)).extracting(r -> r.eventType).containsExactly("released");
        assertThat(readAll(Feed.COMPLETION)).hasSize(1);
        assertThat(feeds.trimmedThrough(Feed.COMPLETION).block(TIMEOUT)).isEqualTo(FeedPosition.ZERO);

        assertThat(feeds.trim(Feed.LEASE, 150).block(TIMEOUT)).isZero();
        assertThat(feeds.trimmedThrough(Feed.LEASE).block(TIMEOUT)).isEqualTo(rows.get(1).position());
    }

    @Test
    void trimmingEverythingKeepsTheHeadAndNeverReusesIds() {
        ExecutionId id = newId();
        append(event(Feed.COMPLETION, id, "success", 10), event(Feed.COMPLETION, id, "failed", 20));
        FeedPosition head = feeds.head(Feed.COMPLETION).block(TIMEOUT);

        assertThat(feeds.trim(Feed.COMPLETION, Long.MAX_VALUE).block(TIMEOUT)).isEqualTo(2L);

        assertThat(readAll(Feed.COMPLETION)).isEmpty();
        assertThat(feeds.trimmedThrough(Feed.COMPLETION).block(TIMEOUT)).isEqualTo(head);
        assertThat(feeds.head(Feed.COMPLETION).block(TIMEOUT)).isEqualTo(head);
        append(event(Feed.COMPLETION, id, "expired", 30));
        assertThat(feeds.readAfter(Feed.COMPLETION, head, 10).collectList().block(TIMEOUT))
                .singleElement().satisfies(r -> assertThat(r.position().isAfter(head)).isTrue());
    }

    @Test
    void trimOfAnEmptyFeedDeletesNothing() {
        assertThat(feeds.trim(Feed.OPERATOR, Long.MAX_VALUE).block(TIMEOUT)).isZero();
        assertThat(feeds.trimmedThrough(Feed.OPERATOR).block(TIMEOUT)).isEqualTo(FeedPosition.ZERO);
    }

    @Test
    void findsTheLatestRowOfAnExecution() {
        ExecutionId one = newId();
        ExecutionId two = newId();
        append(event(Feed.COMPLETION, one, "failed", 1), event(Feed.COMPLETION, two, "success", 2),
                event(Feed.COMPLETION, one, "success", 3), event(Feed.LEASE, one, "acquired", 4));

        assertThat(feeds.findLatest(Feed.COMPLETION, one).block(TIMEOUT))
                .satisfies(r -> assertThat(r.eventType).isEqualTo("success"))
                .satisfies(r -> assertThat(r.occurredAtMs).isEqualTo(3));
        assertThat(feeds.findLatest(Feed.COMPLETION, two).block(TIMEOUT).eventType).isEqualTo("success");
        StepVerifier.create(feeds.findLatest(Feed.COMPLETION, newId())).verifyComplete();
        StepVerifier.create(feeds.findLatest(Feed.SIGNAL, one)).verifyComplete();
    }

    @Test
    void aRolledBackTransactionLeavesNoRowAndNoWakeup() throws InterruptedException {
        BlockingQueue<Feed> received = new LinkedBlockingQueue<>();
        Disposable subscription = feeds.wakeups().subscribe(received::add);
        try {
            ExecutionId id = newId();
            StepVerifier.create(store.inTransaction(tx -> tx.appendEvent(event(Feed.COMPLETION, id, "success", 1))
                            .then(Mono.error(new IllegalStateException("boom")))))
                    .expectErrorMessage("boom")
                    .verify(TIMEOUT);
            append(event(Feed.LEASE, id, "acquired", 2));

            // Wake-ups are delivered in commit order, so the committed one arriving first proves none came
            // for the rollback.
            assertThat(received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(Feed.LEASE);
            assertThat(readAll(Feed.COMPLETION)).isEmpty();
            assertThat(feeds.head(Feed.COMPLETION).block(TIMEOUT)).isEqualTo(FeedPosition.ZERO);
            assertThat(received.poll(100, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void aTransactionWithoutAppendsEmitsNoWakeup() throws InterruptedException {
        BlockingQueue<Feed> received = new LinkedBlockingQueue<>();
        Disposable subscription = feeds.wakeups().subscribe(received::add);
        try {
            store.inTransaction(tx -> tx.findExecution(newId())).block(TIMEOUT);
            append(event(Feed.SIGNAL, newId(), "buffered", 1));

            assertThat(received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(Feed.SIGNAL);
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void wakeupsArriveAfterCommitOffTheWriterThread() {
        ExecutionId id = newId();
        Flux<String> seen = feeds.wakeups()
                .concatMap(feed -> feeds.readAfter(feed, FeedPosition.ZERO, 10)
                        .map(row -> feed + ":" + row.eventType + ":" + Thread.currentThread().getName()));

        StepVerifier.create(seen)
                .then(() -> append(event(Feed.COMPLETION, id, "success", 1)))
                .assertNext(s -> assertThat(s).startsWith("COMPLETION:success:")
                        .doesNotContain("flowfabric-sqlite-writer"))
                .thenCancel()
                .verify(TIMEOUT);
    }

    @Test
    void oneCommitWakesUpEveryFeedItAppendedTo() {
        ExecutionId id = newId();
        StepVerifier.create(feeds.wakeups().take(2).collectList())
                .then(() -> append(event(Feed.COMPLETION, id, "success", 1), event(Feed.LEASE, id, "released", 1),
                        event(Feed.LEASE, id, "acquired", 2)))
                .assertNext(list -> assertThat(list).containsExactlyInAnyOrder(Feed.COMPLETION, Feed.LEASE))
                .verifyComplete();
    }

    @Test
    void aSubscriberThatNeverRequestsDoesNotBlockWrites() {
        BaseSubscriber<Feed> idle = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                // requests nothing, ever
            }
        };
        feeds.wakeups().subscribe(idle);
        try {
            ExecutionId id = newId();
            Flux.range(0, 1000)
                    .concatMap(i -> store.inTransaction(tx -> tx.appendEvent(event(Feed.LEASE, id, "renewed", i))))
                    .blockLast(TIMEOUT);

            assertThat(readAll(Feed.LEASE)).hasSize(1000);
        } finally {
            idle.dispose();
        }
    }

    /** Requests one wake-up at a time, each only 10 ms after the previous one arrived. */
    @Test
    void aSlowSubscriberDoesNotSlowWritesDown() throws InterruptedException {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger received = new AtomicInteger();
        BaseSubscriber<Feed> slow = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(1);
            }

            @Override
            protected void hookOnNext(Feed feed) {
                threads.add(Thread.currentThread().getName());
                received.incrementAndGet();
                Mono.delay(Duration.ofMillis(10)).subscribe(t -> request(1));
            }
        };
        feeds.wakeups().subscribe(slow);
        try {
            ExecutionId id = newId();
            Flux.range(0, 1000)
                    .concatMap(i -> store.inTransaction(tx -> tx.appendEvent(event(Feed.SIGNAL, id, "buffered", i))))
                    .blockLast(TIMEOUT);

            assertThat(readAll(Feed.SIGNAL)).hasSize(1000);
            append(event(Feed.SIGNAL, id, "satisfied", 1000));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (received.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(received.get()).isPositive();
            assertThat(threads).noneMatch(name -> name.startsWith("flowfabric-sqlite-writer"));
        } finally {
            slow.dispose();
        }
    }

    @Test
    void wakeupsCompleteWhenTheStoreCloses() {
        StepVerifier.create(feeds.wakeups())
                .then(() -> store.close().block(TIMEOUT))
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(feeds.wakeups()).expectComplete().verify(TIMEOUT);
    }
}
