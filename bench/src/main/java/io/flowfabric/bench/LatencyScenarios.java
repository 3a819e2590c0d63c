package io.flowfabric.bench;

import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.feed.FeedRequest;
import io.flowfabric.runtime.WorkerRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** S2 (enqueue to handler start at a low steady rate) and S3 (steady state, create to completion event). */
final class LatencyScenarios {
    private LatencyScenarios() {
    }

    /** Per execution: nanoTime of the create call, of its acknowledgement, of the handler start. */
    private static final class Times {
        final int index;
        final long submitted = System.nanoTime();
        volatile long acknowledged;
        volatile long started;

        Times(int index) {
            this.index = index;
        }
    }

    /** S2 once per worker poll interval of {@code --s2-poll-ms}; the first is the one held to the target. */
    static void s2(BenchSuite s, String backend) {
        for (int pollMs : s.s2PollMs) {
            s2(s, backend, pollMs);
        }
    }

    private static void s2(BenchSuite s, String backend, int pollMs) {
        int warm = (int) Math.round(s.s2Rate * s.s2WarmupSeconds);
        int total = warm + (int) Math.round(s.s2Rate * s.s2Seconds);
        try (BenchTarget t = s.open(backend, "s2_poll" + pollMs)) {
            LaneId lane = LaneId.of("s2");
            Map<ExecutionId, Times> times = new ConcurrentHashMap<>();
            CountDownLatch allStarted = new CountDownLatch(total);
            CountingEngine counting = new CountingEngine(t.engine);
            WorkerRuntime worker = s.worker(counting.engine, lane, pollMs, ctx -> {
                long now = System.nanoTime();
                Times at = times.get(ctx.executionId());
                if (at != null && at.started == 0) {
                    at.started = now;
                    allStarted.countDown();
                }
                return Mono.empty();
            });
            worker.start();
            Stats.sleep(Duration.ofMillis(500));
            long period = Math.round(1e9 / s.s2Rate);
            Stats.CpuWindow cpu = Stats.CpuWindow.start();
            long claimCalls = counting.claimCalls.sum() + counting.reclaimCalls.sum();
            long start = System.nanoTime();
            AtomicLong index = new AtomicLong();
            try {
                Flux.interval(Duration.ofNanos(period), Schedulers.parallel()).take(total).onBackpressureBuffer()
                        .flatMap(tick -> {
                            ExecutionId id = ExecutionId.solo(lane);
                            Times at = new Times((int) index.getAndIncrement());
                            times.put(id, at);
                            return t.engine.executions().create(CreateExecution.of(ThroughputScenarios.KIND, lane,
                                    Payload.EMPTY).withExecutionId(id)).doOnNext(x -> at.acknowledged = System.nanoTime());
                        }, 256)
                        .then().block(Duration.ofSeconds(s.s2Seconds + s.s2WarmupSeconds + 60L));
                await(allStarted, 30);
            } finally {
                worker.shutdown().block(Duration.ofSeconds(30));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double claimTxPerSecond = Stats.round1((counting.claimCalls.sum() + counting.reclaimCalls.sum() - claimCalls)
                    / seconds);
            Map<String, Object> cpuUse = cpu.stop();
            Histogram fromCall = Stats.micros();
            Histogram fromAck = Stats.micros();
            Histogram create = Stats.micros();
            for (Times at : times.values()) {
                if (at.index < warm) {
                    continue;
                }
                Stats.recordNanos(fromCall, at.started - at.submitted);
                // The handler can start before the create acknowledgement arrives; that counts as zero.
                Stats.recordNanos(fromAck, at.started - at.acknowledged);
                Stats.recordNanos(create, at.acknowledged - at.submitted);
            }
            Map<String, Object> r = s.report.add("S2", backend, "create call -> handler start, poll " + pollMs + " ms",
                    Stats.brief(fromCall));
            r.put("from_create_call", Stats.summary(fromCall));
            r.put("from_create_ack", Stats.summary(fromAck));
            r.put("create_call", Stats.summary(create));
            r.put("rate_per_s", s.s2Rate);
            r.put("seconds", s.s2Seconds);
            r.put("warmup_seconds", s.s2WarmupSeconds);
            r.put("poll_interval_ms", pollMs);
            r.put("claim_and_reclaim_transactions_per_s", claimTxPerSecond);
            r.put("worker", counting.figures());
            r.put("cpu", cpuUse);
            s.report.add("S2", backend, "create ack -> handler start, poll " + pollMs + " ms", Stats.brief(fromAck)
                    + "; worker claim+reclaim txns " + Math.round(claimTxPerSecond) + "/s");
        }
    }

    /**
     * S3: producers and a worker together. Producers are closed-loop: each creates as fast as it can while
     * fewer than {@code s3Outstanding} executions are between create and completion event; the completion
     * feed releases the slots. Throughput counts completion events in the window; latency is create call to
     * completion event for executions created in the window.
     */
    static void s3(BenchSuite s, String backend) {
        try (BenchTarget t = s.open(backend, "s3")) {
            LaneId lane = LaneId.of("s3");
            String tag = "run-" + System.nanoTime();
            Map<ExecutionId, Long> submitted = new ConcurrentHashMap<>();
            Semaphore slots = new Semaphore(s.s3Outstanding);
            Histogram latency = Stats.micros();
            AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
            AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
            AtomicLong completedInWindow = new AtomicLong();
            AtomicLong createdInWindow = new AtomicLong();
            Disposable feed = t.engine.feeds().completions(FeedRequest.fromNow().withTag("bench.run", tag))
                    .subscribe(event -> {
                        long now = System.nanoTime();
                        Long at = submitted.remove(event.executionId());
                        if (at == null) {
                            return;
                        }
                        if (now >= windowStart.get() && now < windowEnd.get()) {
                            completedInWindow.incrementAndGet();
                        }
                        if (at >= windowStart.get() && at < windowEnd.get()) {
                            synchronized (latency) {
                                Stats.recordNanos(latency, now - at);
                            }
                        }
                        slots.release();
                    });
            CountingEngine counting = new CountingEngine(t.engine);
            WorkerRuntime worker = s.worker(counting.engine, lane);
            worker.start();
            Stats.sleep(Duration.ofMillis(500));
            AtomicBoolean producing = new AtomicBoolean(true);
            List<Thread> producers = new ArrayList<>();
            CreateExecution base = CreateExecution.of(ThroughputScenarios.KIND, lane, Payload.EMPTY)
                    .withTag("bench.run", tag);
            for (int p = 0; p < s.s3Producers; p++) {
                Thread thread = new Thread(() -> produce(t, base, lane, submitted, slots, producing, windowStart,
                        windowEnd, createdInWindow), "s3-producer-" + p);
                thread.setDaemon(true);
                thread.start();
                producers.add(thread);
            }
            Stats.sleep(Duration.ofSeconds(s.s3WarmupSeconds));
            Stats.CpuWindow cpu = Stats.CpuWindow.start();
            long start = System.nanoTime();
            windowStart.set(start);
            windowEnd.set(start + TimeUnit.SECONDS.toNanos(s.s3Seconds));
            Stats.sleep(Duration.ofSeconds(s.s3Seconds));
            Map<String, Object> cpuUse = cpu.stop();
            producing.set(false);
            for (Thread thread : producers) {
                join(thread);
            }
            boolean drained = Stats.await(submitted::isEmpty, Duration.ofSeconds(60));
            worker.shutdown().block(Duration.ofSeconds(30));
            feed.dispose();
            double throughput = Stats.round1(completedInWindow.get() / (double) s.s3Seconds);
            Map<String, Object> r = s.report.add("S3", backend, "steady state, create -> completion event",
                    String.format(Locale.ROOT, "%.0f executions/s; latency %s", throughput, Stats.brief(latency)));
            r.put("executions_per_s", throughput);
            r.put("creates_per_s", Stats.round1(createdInWindow.get() / (double) s.s3Seconds));
            r.put("latency_create_to_completion_event", Stats.summary(latency));
            r.put("seconds", s.s3Seconds);
            r.put("warmup_seconds", s.s3WarmupSeconds);
            r.put("producers", s.s3Producers);
            r.put("max_outstanding", s.s3Outstanding);
            r.put("concurrency", s.concurrency);
            r.put("drained", drained);
            r.put("worker", counting.figures());
            r.put("cpu", cpuUse);
        }
    }

    private static void produce(BenchTarget t, CreateExecution base, LaneId lane, Map<ExecutionId, Long> submitted,
            Semaphore slots, AtomicBoolean producing, AtomicLong windowStart, AtomicLong windowEnd,
            AtomicLong createdInWindow) {
        try {
            while (producing.get()) {
                if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                ExecutionId id = ExecutionId.solo(lane);
                long at = System.nanoTime();
                submitted.put(id, at);
                t.engine.executions().create(base.withExecutionId(id)).block(Duration.ofSeconds(30));
                if (at >= windowStart.get() && at < windowEnd.get()) {
                    createdInWindow.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch, int seconds) {
        try {
            if (!latch.await(seconds, TimeUnit.SECONDS)) {
                throw new IllegalStateException(latch.getCount() + " handlers did not start within " + seconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
