package io.flowfabric.postgres;

import static io.flowfabric.postgres.FeedTestSupport.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.WorkerInstanceId;
import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.feed.CompletionEvent;
import io.flowfabric.api.feed.FeedDisconnectedException;
import io.flowfabric.api.feed.FeedRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Feeds through the public API while the database goes away: the LISTEN backend is killed or hangs, the
 * server restarts, the server stays down past the disconnect limit. Every event must arrive exactly once, in
 * feed order. Uses its own embedded server, which the tests stop and start. Prints the measured times.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgFeedReconnectTest {
    private RestartablePostgres postgres;
    private Engine engine;

    @BeforeAll
    void startServer() {
        postgres = RestartablePostgres.start();
    }

    @AfterEach
    void closeEngine() {
        postgres.startServer();
        if (engine != null) {
            engine.shutdown().block(TIMEOUT);
            engine = null;
        }
    }

    @AfterAll
    void stopServer() throws IOException {
        postgres.close();
    }

    @Test
    void killingTheListenBackendWhileProducingLosesAndRepeatsNothing() throws Exception {
        PostgresOptions options = postgres.freshDatabase();
        engine = PostgresEngine.connect(options).block(TIMEOUT);
        LaneId lane = FeedTestSupport.uniqueLane();
        FeedTestSupport.Received<CompletionEvent> received = new FeedTestSupport.Received<>();
        Disposable subscription = engine.feeds().completions(FeedRequest.fromNow()).subscribe(received);
        PgFeedEngineTest.waitForListenConnection(options);
        List<ExecutionId> produced = new ArrayList<>();
        Mono<Void> producer = Flux.range(0, 300)
                .concatMap(i -> FeedTestSupport.completeOne(engine, lane).doOnNext(id -> {
                    synchronized (produced) {
                        produced.add(id);
                    }
                }))
                .then().cache();
        producer.subscribe();
        List<Long> reconnectMillis = new ArrayList<>();
        for (int kill = 0; kill < 3; kill++) {
            Thread.sleep(150);
            int before = PgTestSql.listeningBackend(options);
            long start = System.nanoTime();
            assertThat(PgTestSql.terminateListenBackends(options)).isEqualTo(1);
            reconnectMillis.add(awaitNewListenBackend(options, before, start));
        }
        producer.block(Duration.ofSeconds(120));

        assertThat(received.awaitSize(produced.size(), TIMEOUT)).isTrue();
        Thread.sleep(700);
        subscription.dispose();
        assertThat(received.snapshot()).extracting(CompletionEvent::executionId).containsExactlyElementsOf(produced);
        System.out.println("[PgFeedReconnectTest] pg_terminate_backend -> new LISTEN backend, ms: " + reconnectMillis);
    }

    @Test
    void aHungListenBackendIsDetectedByTheKeepAliveAndReplaced() throws Exception {
        PostgresOptions options = postgres.freshDatabase().withKeepAlive(Duration.ofMillis(200), Duration.ofMillis(500));
        engine = PostgresEngine.connect(options).block(TIMEOUT);
        LaneId lane = FeedTestSupport.uniqueLane();
        FeedTestSupport.Received<CompletionEvent> received = new FeedTestSupport.Received<>();
        Disposable subscription = engine.feeds().completions(FeedRequest.fromNow()).subscribe(received);
        PgFeedEngineTest.waitForListenConnection(options);
        int hung = PgTestSql.listeningBackend(options);
        signal("STOP", hung);
        long detection;
        try {
            long start = System.nanoTime();
            detection = awaitNewListenBackend(options, hung, start);
            ExecutionId later = FeedTestSupport.completeOne(engine, lane).block(TIMEOUT);
            assertThat(received.awaitSize(1, TIMEOUT)).isTrue();
            assertThat(received.snapshot()).extracting(CompletionEvent::executionId).containsExactly(later);
        } finally {
            signal("CONT", hung);
            subscription.dispose();
        }
        System.out.println("[PgFeedReconnectTest] SIGSTOP of the LISTEN backend -> replaced in " + detection
                + " ms (keep-alive every 200 ms, timeout 500 ms)");
    }

    /*
     * A slow subscriber is halfway through a backlog when the server restarts; more events are produced
     * after the restart. The subscriber receives the whole feed once, in the order a fresh read returns.
     */
    @Test
    void aServerRestartMidStreamLosesAndRepeatsNothing() throws Exception {
        PostgresOptions options = postgres.freshDatabase().withFeedPollInterval(Duration.ofMillis(200))
                .withKeepAlive(Duration.ofMillis(200), Duration.ofSeconds(1));
        engine = PostgresEngine.connect(options).block(TIMEOUT);
        LaneId lane = FeedTestSupport.uniqueLane();
        List<ExecutionId> produced = new ArrayList<>(completeMany(lane, 600));
        FeedTestSupport.Received<CompletionEvent> received = new FeedTestSupport.Received<>();
        Disposable subscription = engine.feeds().completions(FeedRequest.fromBeginning())
                .delayElements(Duration.ofMillis(2))
                .subscribe(received);
        assertThat(received.awaitSize(100, TIMEOUT)).isTrue();

        postgres.stopServer();
        int atStop = received.size();
        Thread.sleep(1_000);
        long restartedAt = System.nanoTime();
        postgres.startServer();
        long serverUp = System.nanoTime();
        PgFeedEngineTest.waitForListenConnection(options);
        long listening = System.nanoTime();
        awaitReachable(lane);
        produced.addAll(completeMany(lane, 200));

        assertThat(received.awaitSize(produced.size(), Duration.ofSeconds(60))).isTrue();
        Thread.sleep(1_000);
        subscription.dispose();
        List<CompletionEvent> events = received.snapshot();
        assertThat(events).extracting(CompletionEvent::executionId)
                .containsExactlyInAnyOrderElementsOf(produced).doesNotHaveDuplicates();
        List<String> feedOrder = engine.feeds().completions(FeedRequest.fromBeginning()).take(produced.size())
                .map(CompletionEvent::cursor).collectList().block(TIMEOUT);
        assertThat(events).extracting(CompletionEvent::cursor).containsExactlyElementsOf(feedOrder);
        assertThat(atStop).as("the restart happened mid-stream").isLessThan(600);
        System.out.printf("[PgFeedReconnectTest] restart: %d of 600 delivered at stop; server start took %d ms; "
                + "LISTEN back %d ms after the server was up%n", atStop, (serverUp - restartedAt) / 1_000_000,
                (listening - serverUp) / 1_000_000);
    }

    @Test
    void aServerDownPastTheLimitFailsTheFeedWithACursorThatResumesExactly() throws Exception {
        Duration limit = Duration.ofSeconds(2);
        PostgresOptions options = postgres.freshDatabase().withFeedDisconnectLimit(limit)
                .withFeedPollInterval(Duration.ofMillis(200));
        engine = PostgresEngine.connect(options).block(TIMEOUT);
        LaneId lane = FeedTestSupport.uniqueLane();
        List<ExecutionId> before = completeMany(lane, 20);
        FeedTestSupport.Received<CompletionEvent> received = new FeedTestSupport.Received<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        engine.feeds().completions(FeedRequest.fromBeginning()).subscribe(received, failure::set);
        assertThat(received.awaitSize(20, TIMEOUT)).isTrue();

        long stoppedAt = System.nanoTime();
        postgres.stopServer();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (failure.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long failedAfter = (System.nanoTime() - stoppedAt) / 1_000_000;
        assertThat(failure.get()).isInstanceOf(FeedDisconnectedException.class);
        String lastCursor = ((FeedDisconnectedException) failure.get()).lastCursor();
        List<CompletionEvent> delivered = received.snapshot();
        assertThat(delivered).extracting(CompletionEvent::executionId).containsExactlyInAnyOrderElementsOf(before);
        assertThat(lastCursor).isEqualTo(delivered.get(delivered.size() - 1).cursor());

        postgres.startServer();
        awaitReachable(lane);
        List<ExecutionId> after = completeMany(lane, 10);
        List<CompletionEvent> resumed = engine.feeds().completions(FeedRequest.after(lastCursor))
                .take(Duration.ofSeconds(2)).collectList().block(TIMEOUT);
        assertThat(resumed).extracting(CompletionEvent::executionId).containsExactlyInAnyOrderElementsOf(after);
        List<String> feedOrder = engine.feeds().completions(FeedRequest.fromBeginning()).take(30)
                .map(CompletionEvent::cursor).collectList().block(TIMEOUT);
        assertThat(resumed).extracting(CompletionEvent::cursor).containsExactlyElementsOf(feedOrder.subList(20, 30));
        System.out.println("[PgFeedReconnectTest] server down, limit " + limit.toMillis()
                + " ms -> FeedDisconnectedException after " + failedAfter + " ms");
    }

    /** Creates {@code count} executions, then claims and completes them 8 at a time; the ids, not in commit order. */
    private List<ExecutionId> completeMany(LaneId lane, int count) {
        ClaimRequest claim = ClaimRequest.of(lane, WorkerId.of("w"), WorkerInstanceId.of("i"));
        Flux.range(0, count).concatMap(i -> engine.executions()
                .create(CreateExecution.of("restart-test", lane, Payload.EMPTY))).blockLast(Duration.ofSeconds(120));
        return engine.leases().claimBatch(claim, count)
                .flatMap(c -> engine.leases().complete(CompleteExecution.of(c, Payload.EMPTY)).thenReturn(c), 8)
                .map(c -> c.executionId()).collectList().block(Duration.ofSeconds(120));
    }

    // Reads until the pool hands out working connections again (a miss is NotFound, a broken one Unavailable).
    private void awaitReachable(LaneId lane) {
        engine.executions().describe(ExecutionId.solo(lane)).then()
                .onErrorResume(NotFoundException.class, e -> Mono.empty())
                .retryWhen(Retry.fixedDelay(300, Duration.ofMillis(100)))
                .block(Duration.ofSeconds(60));
    }

    /** Waits for a LISTEN backend other than {@code previous}; returns the milliseconds since {@code startNanos}. */
    private static long awaitNewListenBackend(PostgresOptions options, int previous, long startNanos)
            throws InterruptedException {
        long deadline = startNanos + TIMEOUT.toNanos();
        while (true) {
            if (PgTestSql.listeningBackendOtherThan(options, previous) != null) {
                return (System.nanoTime() - startNanos) / 1_000_000;
            }
            assertThat(System.nanoTime()).as("a new LISTEN backend appears").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void signal(String signal, int pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Integer.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }
}
