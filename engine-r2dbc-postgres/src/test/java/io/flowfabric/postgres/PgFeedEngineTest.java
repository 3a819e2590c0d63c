package io.flowfabric.postgres;

import static io.flowfabric.postgres.FeedTestSupport.TIMEOUT;
import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Namespace;
import io.flowfabric.api.feed.CompletionEvent;
import io.flowfabric.api.feed.FeedRequest;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.OutboxRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** Feeds through the public API over PostgreSQL: out-of-order commits and notification-driven delivery. */
class PgFeedEngineTest {

    /*
     * The held-open transaction end to end: a raw transaction appends a completion row (taking the lower
     * event id) and stays open while the engine completes an execution (higher event id, committed and
     * notified first). The subscriber must get nothing while the raw transaction is open, then both events
     * in position order, exactly once.
     */
    @Test
    void aCompletionCommittedBehindAnOpenTransactionIsDeliveredAfterItExactlyOnce() throws Exception {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase()
                .withFeedPollInterval(Duration.ofMillis(100));
        Engine engine = PostgresEngine.connect(options).block(TIMEOUT);
        PgStore raw = PostgresEngine.openStore(options.withRunMigrations(false)).block(TIMEOUT);
        LaneId lane = FeedTestSupport.uniqueLane();
        FeedTestSupport.Received<CompletionEvent> received = new FeedTestSupport.Received<>();
        Disposable subscription = engine.feeds().completions(FeedRequest.fromBeginning()).subscribe(received);
        try {
            OutboxRow held = TestRows.outbox(Feed.COMPLETION, Namespace.DEFAULT.value(), "success", "held", T0);
            Sinks.Empty<Void> appended = Sinks.empty();
            Sinks.Empty<Void> release = Sinks.empty();
            Mono<Void> open = raw.inTransaction(tx -> tx.appendEvent(held).then(((PgTx) tx).flush())
                    .then(Mono.fromRunnable(appended::tryEmitEmpty)).then(release.asMono())).cache();
            open.subscribe();
            appended.asMono().block(TIMEOUT);

            ExecutionId completed = FeedTestSupport.completeOne(engine, lane).block(TIMEOUT);
            // Several poll intervals and the notification of the engine's commit have passed.
            Thread.sleep(800);
            assertThat(received.snapshot()).isEmpty();

            release.tryEmitEmpty();
            open.block(TIMEOUT);
            assertThat(received.awaitSize(2, TIMEOUT)).isTrue();
            Thread.sleep(500);
            List<CompletionEvent> events = received.snapshot();
            assertThat(events).extracting(CompletionEvent::executionId)
                    .containsExactly(new ExecutionId(held.partitionKey, held.executionId), completed);
            assertThat(events).extracting(CompletionEvent::cursor).doesNotHaveDuplicates();
        } finally {
            subscription.dispose();
            raw.close().block(TIMEOUT);
            engine.shutdown().block(TIMEOUT);
        }
    }

    /*
     * With a poll interval far longer than the test, every event can only arrive through a notification on
     * the LISTEN connection. Prints the commit-to-delivery latency.
     */
    @Test
    void notificationsDeliverWithoutWaitingForThePollInterval() throws Exception {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase()
                .withFeedPollInterval(Duration.ofMinutes(10));
        Engine engine = PostgresEngine.connect(options).block(TIMEOUT);
        LaneId lane = FeedTestSupport.uniqueLane();
        FeedTestSupport.Received<CompletionEvent> received = new FeedTestSupport.Received<>();
        Disposable subscription = engine.feeds().completions(FeedRequest.fromNow()).subscribe(received);
        try {
            waitForListenConnection(options);
            List<ExecutionId> produced = new ArrayList<>();
            List<Long> latenciesMicros = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                produced.add(FeedTestSupport.completeOne(engine, lane).block(TIMEOUT));
                assertThat(received.awaitSize(i + 1, Duration.ofSeconds(10))).as("event %d delivered", i).isTrue();
                latenciesMicros.add((System.nanoTime() - start) / 1_000);
            }
            assertThat(received.snapshot()).extracting(CompletionEvent::executionId).containsExactlyElementsOf(produced);
            System.out.println("[PgFeedEngineTest] create+claim+complete -> delivered, microseconds: "
                    + latenciesMicros.stream().sorted().toList());
        } finally {
            subscription.dispose();
            engine.shutdown().block(TIMEOUT);
        }
    }

    @Test
    void shutdownClosesTheListenConnection() throws Exception {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase();
        Engine engine = PostgresEngine.connect(options).block(TIMEOUT);
        Disposable first = engine.feeds().completions(FeedRequest.fromNow()).subscribe();
        Disposable second = engine.feeds().leaseHistory(FeedRequest.fromNow()).subscribe();
        waitForListenConnection(options);
        assertThat(PgTestSql.listenConnections(options)).as("one LISTEN connection shared by both feeds").isEqualTo(1);

        engine.shutdown().block(TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (PgTestSql.listenConnections(options) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(PgTestSql.listenConnections(options)).isZero();
        first.dispose();
        second.dispose();
    }

    static void waitForListenConnection(PostgresOptions options) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (PgTestSql.listeningBackend(options) == null) {
            assertThat(System.nanoTime()).as("a LISTEN connection appears").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
