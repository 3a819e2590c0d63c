package io.flowfabric.bench;

import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.signal.DeliverSignal;
import io.flowfabric.api.signal.IssuedWaitpoint;
import io.flowfabric.api.signal.ResumeCondition;
import io.flowfabric.postgres.PostgresEngine;
import io.flowfabric.runtime.WorkerRuntime;
import io.flowfabric.sqlite.SqliteEngine;
import io.flowfabric.sqlite.SqliteOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Mono;

/**
 * Suspend → signal → resumed handler latency: a worker's handler suspends on a waitpoint; the benchmark
 * delivers the satisfying signal and measures from the delivery's acknowledgement until the handler runs
 * again on the resumed attempt. The worker finds resumed work by polling (1 ms interval), which bounds the
 * figure from below.
 */
@Command(name = "signal-latency", mixinStandardHelpOptions = true,
        description = "Suspend, signal, resumed-handler latency on PostgreSQL and SQLite.")
public final class SignalLatencyBenchmark implements Runnable {
    @Option(names = "--postgres-url", description = "an existing server; default: start an embedded one")
    String postgresUrl;

    @Option(names = "--samples", defaultValue = "1000")
    int samples;

    @Option(names = "--warmup", defaultValue = "200")
    int warmup;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SignalLatencyBenchmark()).execute(args));
    }

    @Override
    public void run() {
        System.out.printf("machine: %d cores, JVM %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        try (BenchDatabase db = BenchDatabase.open(postgresUrl)) {
            measure("postgres", PostgresEngine.connect(db.options().withReconcilers(ReconcilerSettings.manual()))
                    .block(Duration.ofMinutes(1)));
        }
        try {
            var file = Files.createTempDirectory("signal-bench").resolve("bench.db");
            measure("sqlite", SqliteEngine.open(SqliteOptions.file(file).withReconcilers(ReconcilerSettings.manual()))
                    .block(Duration.ofMinutes(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void measure(String backend, Engine engine) {
        try {
            engine.signals().seedSigningKey("bench", "00112233445566778899aabbccddeeff").block();
            Map<ExecutionId, IssuedWaitpoint> gates = new ConcurrentHashMap<>();
            Map<ExecutionId, Long> resumedAt = new ConcurrentHashMap<>();
            Map<ExecutionId, CountDownLatch> latches = new ConcurrentHashMap<>();
            LaneId lane = LaneId.of("signal-latency");
            WorkerRuntime worker = WorkerRuntime.builder(engine).lane(lane).concurrency(4)
                    .pollInterval(Duration.ofMillis(1)).maxPollInterval(Duration.ofMillis(2))
                    .handler("gated", ctx -> {
                        if (ctx.isResumed()) {
                            resumedAt.put(ctx.executionId(), System.nanoTime());
                            latches.get(ctx.executionId()).countDown();
                            return Mono.just(Payload.EMPTY);
                        }
                        return ctx.suspend(ResumeCondition.signal("gate", "go"), w -> {
                            gates.put(ctx.executionId(), w.get(0));
                            latches.get(ctx.executionId()).countDown();
                        });
                    }).build();
            worker.start();
            run(engine, lane, warmup, gates, resumedAt, latches);
            Histogram h = run(engine, lane, samples, gates, resumedAt, latches);
            worker.shutdown().block(Duration.ofSeconds(30));
            System.out.printf(Locale.ROOT,
                    "%-9s samples %5d  p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms%n", backend,
                    h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
        } finally {
            engine.close();
        }
    }

    private static Histogram run(Engine engine, LaneId lane, int count, Map<ExecutionId, IssuedWaitpoint> gates,
            Map<ExecutionId, Long> resumedAt, Map<ExecutionId, CountDownLatch> latches) {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        for (int i = 0; i < count; i++) {
            ExecutionId id = ExecutionId.solo(lane);
            CountDownLatch suspended = new CountDownLatch(1);
            latches.put(id, suspended);
            engine.executions().create(CreateExecution.of("gated", lane, Payload.EMPTY).withExecutionId(id))
                    .block(Duration.ofSeconds(30));
            await(suspended);
            // Let the suspending transaction's reply reach the worker before signalling.
            CountDownLatch resumed = new CountDownLatch(1);
            latches.put(id, resumed);
            engine.signals().deliver(DeliverSignal.of(id, gates.get(id), "go", "bench", "b"))
                    .block(Duration.ofSeconds(30));
            long acked = System.nanoTime();
            await(resumed);
            histogram.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(resumedAt.get(id) - acked)));
        }
        return histogram;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the worker did not react within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
