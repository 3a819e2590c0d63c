package io.flowfabric.bench;

import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.CreateResult;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.WorkerInstanceId;
import io.flowfabric.runtime.WorkerRuntime;
import io.flowfabric.runtime.WorkerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** S1 (end-to-end executions/s through the worker runtime) and S4 (claim throughput against a backlog). */
final class ThroughputScenarios {
    static final String KIND = "noop";

    private ThroughputScenarios() {
    }

    /** S1: create N no-op executions, then time a worker (concurrency C) from start to the last completion. */
    static void s1(BenchSuite s, String backend) {
        List<Double> rates = new ArrayList<>();
        List<Double> createRates = new ArrayList<>();
        Map<String, Object> last = new LinkedHashMap<>();
        StackSampler sampler = s.profile ? new StackSampler() : null;
        for (int round = 0; round < s.warmupRounds + s.rounds; round++) {
            boolean measured = round >= s.warmupRounds;
            try (BenchTarget t = s.open(backend, "s1_r" + round)) {
                LaneId lane = LaneId.of("s1");
                long c0 = System.nanoTime();
                createMany(t.engine, lane, s.s1Executions, s.createConcurrency);
                createRates.add(Stats.rate(s.s1Executions, System.nanoTime() - c0));
                t.settle();
                Stats.sleep(Duration.ofMillis(measured ? 2000 : 0));
                Map<String, Long> serverBefore = t.serverCounters();
                CountingEngine counting = new CountingEngine(t.engine);
                WorkerRuntime worker = s.worker(counting.engine, lane);
                Stats.CpuWindow cpu = Stats.CpuWindow.start();
                if (measured && sampler != null) {
                    sampler.start();
                }
                long start = System.nanoTime();
                worker.start();
                boolean finished;
                long nanos;
                try {
                    finished = Stats.await(() -> worker.stats().completed() >= s.s1Executions, Duration.ofMinutes(10));
                    nanos = System.nanoTime() - start;
                } finally {
                    worker.shutdown().block(Duration.ofSeconds(30));
                }
                if (measured && sampler != null) {
                    sampler.stop();
                }
                Map<String, Object> cpuUse = cpu.stop();
                WorkerStats stats = worker.stats();
                if (!finished) {
                    throw new IllegalStateException("S1 did not finish: " + stats);
                }
                long terminal = t.count("lane_id = 's1' AND terminal_outcome = 'success'");
                if (terminal != s.s1Executions || stats.failed() > 0 || stats.leasesLost() > 0) {
                    throw new IllegalStateException("S1 round broken: " + terminal + " succeeded, " + stats);
                }
                double rate = Stats.rate(s.s1Executions, nanos);
                if (measured && !serverBefore.isEmpty()) {
                    Stats.sleep(Duration.ofMillis(2000));
                    last.put("server", BenchTarget.perExecution(serverBefore, t.serverCounters(), s.s1Executions));
                }
                Object written = cpuUse.get("jvm_write_mib_per_s");
                if (written instanceof Double mib && measured) {
                    last.put("jvm_write_kib_per_execution", Stats.round1(mib * 1024 / rate));
                }
                System.out.printf(Locale.ROOT, "    S1 %s round %d%s: %.0f executions/s (creates %.0f/s) %s %s%n",
                        backend, round + 1, measured ? "" : " (warm-up)", rate, createRates.get(round),
                        cpuUse, counting.figures());
                if (measured) {
                    rates.add(rate);
                    last.putAll(counting.figures());
                    last.put("cpu", Stats.perItem(cpuUse, rate));
                }
            }
        }
        double median = Stats.median(rates);
        Map<String, Object> r = s.report.add("S1", backend, "engine: worker end to end",
                String.format(Locale.ROOT, "%.0f executions/s (median of %s); creates %.0f/s; claim batch %.1f",
                        median, rates, Stats.median(createRates.subList(s.warmupRounds, createRates.size())),
                        Report.number(last, "mean_claim_batch")));
        r.put("executions_per_s", median);
        r.put("rounds_executions_per_s", rates);
        r.put("creates_per_s_rounds", createRates.subList(s.warmupRounds, createRates.size()));
        r.put("executions", s.s1Executions);
        r.put("concurrency", s.concurrency);
        r.put("poll_interval_ms", s.pollMs);
        r.put("last_round", last);
        if (sampler != null) {
            r.put("profile", sampler.report(25));
            sampler.print(backend, 20);
        }
    }

    /** S4: claim + complete rate at each backlog size, on a fresh database per size. */
    static void s4(BenchSuite s, String backend) {
        Map<Long, List<Double>> rateBySize = new LinkedHashMap<>();
        List<Long> sizes = new ArrayList<>(s.s4Backlogs);
        if (s.s4RepeatFirst && sizes.size() > 1) {
            sizes.add(sizes.get(0)); // the smallest again at the end: shows drift over the scenario
        }
        double[] apiRate = {0};
        for (long size : sizes) {
            try (BenchTarget t = s.open(backend, "s4_" + size)) {
                LaneId lane = LaneId.of("s4");
                long queued = size + s.s4Warmup + s.s4Measure;
                double projected = apiRate[0] > 0 ? queued / apiRate[0] : 0;
                boolean api = s.s4Fill.equals("api") || (s.s4Fill.equals("auto") && projected <= s.s4ApiFillMaxSeconds);
                long f0 = System.nanoTime();
                if (api) {
                    createMany(t.engine, lane, queued, s.createConcurrency);
                } else {
                    ExecutionId template = ((CreateResult.Created) t.engine.executions()
                            .create(CreateExecution.of(KIND, lane, Payload.EMPTY)).block()).executionId();
                    t.cloneBacklog(template, queued - 1);
                }
                double fillSeconds = (System.nanoTime() - f0) / 1e9;
                if (api) {
                    apiRate[0] = queued / fillSeconds;
                }
                t.settle();
                long backlog = t.count("lane_id = 's4' AND lifecycle_phase = 'runnable'");
                System.out.printf(Locale.ROOT, "    S4 %s backlog %d: filled %d via %s in %.1f s (%.0f/s)%n", backend,
                        size, backlog, api ? "API creates" : "SQL clone of an API-created row", fillSeconds,
                        queued / fillSeconds);
                claimLoop(s, t.engine, lane, s.s4Warmup, Stats.micros());
                Histogram claims = Stats.micros();
                Stats.CpuWindow cpu = Stats.CpuWindow.start();
                long start = System.nanoTime();
                long done = claimLoop(s, t.engine, lane, s.s4Measure, claims);
                long nanos = System.nanoTime() - start;
                double rate = Stats.rate(done, nanos);
                rateBySize.computeIfAbsent(size, k -> new ArrayList<>()).add(rate);
                Map<String, Object> r = s.report.add("S4", backend, "claim+complete, backlog " + size
                        + (rateBySize.get(size).size() > 1 ? " (again)" : ""),
                        String.format(Locale.ROOT, "%.0f executions/s; claimBatch(%d) %s", rate, s.s4Batch,
                                Stats.brief(claims)));
                r.put("backlog", size);
                r.put("queued_at_start", backlog);
                r.put("fill", api ? "api" : "sql-clone");
                if (!api) {
                    r.put("projected_api_fill_seconds", Stats.round1(projected));
                }
                r.put("fill_seconds", Stats.round1(fillSeconds));
                r.put("fill_rows_per_s", Stats.round1(queued / fillSeconds));
                r.put("executions_per_s", rate);
                r.put("measured_executions", done);
                r.put("claim_batch_latency", Stats.summary(claims));
                r.put("claimers", s.s4Claimers);
                r.put("batch", s.s4Batch);
                r.put("cpu", cpu.stop());
            }
        }
        Long small = s.s4Backlogs.get(0);
        Long large = s.s4Backlogs.get(s.s4Backlogs.size() - 1);
        if (!small.equals(large)) {
            List<Double> smallRates = rateBySize.get(small);
            double smallMean = smallRates.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ratio = Stats.round3(rateBySize.get(large).get(0) / smallMean);
            Map<String, Object> r = s.report.add("S4", backend, "ratio backlog " + large + " / " + small,
                    String.format(Locale.ROOT, "%.3f (against the mean of %s)", ratio, smallRates));
            r.put("ratio", ratio);
            r.put("small_backlog_rates", smallRates);
        }
    }

    /**
     * Claimers each repeat: claimBatch(batch) then complete every claimed execution (a few at a time), until
     * {@code total} executions were claimed. Records each claimBatch call's latency; returns the completions.
     */
    private static long claimLoop(BenchSuite s, Engine engine, LaneId lane, long total, Histogram claims) {
        AtomicLong reserved = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        int completeConcurrency = Math.max(1, s.poolSize / s.s4Claimers);
        Flux.range(0, s.s4Claimers).flatMap(c -> {
            ClaimRequest request = ClaimRequest.of(lane, WorkerId.of("bench-s4"), WorkerInstanceId.of("claimer-" + c));
            return Mono.defer(() -> {
                long want = Math.min(s.s4Batch, total - reserved.getAndAdd(s.s4Batch));
                if (want <= 0) {
                    return Mono.just(0L);
                }
                long t0 = System.nanoTime();
                return engine.leases().claimBatch(request, (int) want).collectList().flatMap(list -> {
                    synchronized (claims) {
                        Stats.recordNanos(claims, System.nanoTime() - t0);
                    }
                    return Flux.fromIterable(list)
                            .flatMap(x -> complete(engine, x), completeConcurrency)
                            .count()
                            .doOnNext(completed::addAndGet);
                });
            }).repeat().takeWhile(n -> n > 0);
        }, s.s4Claimers).then().block(Duration.ofMinutes(30));
        return completed.get();
    }

    private static Mono<Object> complete(Engine engine, ClaimedExecution claimed) {
        return engine.leases().complete(CompleteExecution.of(claimed, Payload.EMPTY)).map(x -> (Object) x);
    }

    /** Creates {@code count} no-op executions with {@code concurrency} creates in flight. */
    static void createMany(Engine engine, LaneId lane, long count, int concurrency) {
        CreateExecution request = CreateExecution.of(KIND, lane, Payload.EMPTY);
        Flux.range(0, (int) count)
                .flatMap(i -> engine.executions().create(request), concurrency)
                .then().block(Duration.ofMinutes(60));
    }
}
