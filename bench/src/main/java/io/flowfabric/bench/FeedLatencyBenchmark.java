package io.flowfabric.bench;

import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.WorkerInstanceId;
import io.flowfabric.api.feed.FeedRequest;
import io.flowfabric.postgres.PostgresEngine;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Commit-to-delivery latency of the completion feed on PostgreSQL: the time from a {@code complete}
 * call returning (its transaction committed) until a feed subscriber receives the completion event, at
 * idle (one completion at a time) and under load (background producers completing executions in another
 * lane while the same measurement runs).
 */
@Command(name = "feed-latency", mixinStandardHelpOptions = true,
        description = "Completion-feed commit to delivery latency on PostgreSQL.")
public final class FeedLatencyBenchmark implements Runnable {
    @Option(names = "--postgres-url", description = "an existing server; default: start an embedded one")
    String postgresUrl;

    @Option(names = "--samples", defaultValue = "2000", description = "measured completions per phase")
    int samples;

    @Option(names = "--warmup", defaultValue = "500", description = "unmeasured completions first")
    int warmup;

    @Option(names = "--load-producers", defaultValue = "4", description = "background producers under load")
    int producers;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FeedLatencyBenchmark()).execute(args));
    }

    @Override
    public void run() {
        try (BenchDatabase db = BenchDatabase.open(postgresUrl)) {
            Engine engine = PostgresEngine.connect(db.options().withMaxPoolSize(16)).block(Duration.ofMinutes(1));
            try {
                System.out.printf("machine: %d cores, JVM %s, %s%n", Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.version"), db.describe());
                measure(engine, "warm-up", warmup, 0);
                print("idle", measure(engine, "idle", samples, 0));
                print("load x" + producers, measure(engine, "load", samples, producers));
            } finally {
                engine.close();
            }
        }
    }

    private static void print(String phase, Histogram h) {
        System.out.printf(Locale.ROOT, "%-10s samples %6d  p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms%n",
                phase, h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    private static Histogram measure(Engine engine, String phase, int count, int loadProducers) {
        LaneId lane = LaneId.of("feed-latency-" + phase);
        Map<ExecutionId, Long> arrivedAt = new ConcurrentHashMap<>();
        Map<ExecutionId, CountDownLatch> arrived = new ConcurrentHashMap<>();
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        Disposable feed = engine.feeds().completions(FeedRequest.fromNow().withTag("bench.lane", lane.value()))
                .subscribe(event -> {
                    arrivedAt.put(event.executionId(), System.nanoTime());
                    CountDownLatch latch = arrived.get(event.executionId());
                    if (latch != null) {
                        latch.countDown();
                    }
                });
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong background = new AtomicLong();
        Disposable load = Flux.range(0, loadProducers)
                .flatMap(p -> cycle(engine, LaneId.of("feed-latency-load")).doOnNext(x -> background.incrementAndGet())
                        .repeat(loading::get).subscribeOn(Schedulers.parallel()), Math.max(1, loadProducers))
                .subscribe();
        try {
            Mono.delay(Duration.ofMillis(500)).block();
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                ClaimedExecution claimed = createAndClaim(engine, lane).block(Duration.ofSeconds(30));
                CountDownLatch latch = new CountDownLatch(1);
                arrived.put(claimed.executionId(), latch);
                engine.leases().complete(CompleteExecution.of(claimed, Payload.EMPTY)).block(Duration.ofSeconds(30));
                long committed = System.nanoTime();
                await(latch);
                // A notification can overtake the commit acknowledgement; that counts as zero latency.
                long latency = arrivedAt.remove(claimed.executionId()) - committed;
                histogram.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(latency)));
            }
            if (loadProducers > 0) {
                double seconds = (System.nanoTime() - started) / 1e9;
                System.out.printf(Locale.ROOT, "background load: %.0f executions/s completed%n",
                        background.get() / seconds);
            }
        } finally {
            loading.set(false);
            load.dispose();
            feed.dispose();
        }
        return histogram;
    }

    private static Mono<ClaimedExecution> createAndClaim(Engine engine, LaneId lane) {
        return engine.executions().create(CreateExecution.of("bench", lane, Payload.EMPTY).withTag("bench.lane", lane.value()))
                .then(engine.leases().claim(ClaimRequest.of(lane, WorkerId.of("bench"), WorkerInstanceId.of("bench-1"))));
    }

    private static Mono<Object> cycle(Engine engine, LaneId lane) {
        return createAndClaim(engine, lane)
                .flatMap(c -> engine.leases().complete(CompleteExecution.of(c, Payload.EMPTY)))
                .map(x -> (Object) x);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a completion event did not arrive within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
