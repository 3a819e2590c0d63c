package io.flowfabric.examples.quickstart;

import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.CreateResult;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.ExecutionSnapshot;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.examples.quickstart.SourceFiles.SourceFile;
import io.flowfabric.runtime.WorkerRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The quickstart as a library: one {@code file-stats} execution per text file of a directory, run by a
 * {@link WorkerRuntime}, then one {@code report} execution that aggregates their results. Smaller files
 * get a higher priority; a fifth of the files fail their first attempt and are retried with exponential
 * backoff.
 */
public final class QuickstartJob {
    static final RetryPolicy RETRY = RetryPolicy.exponential(3, Duration.ofMillis(200), Duration.ofSeconds(2));
    private static final int CREATE_CONCURRENCY = 8;
    private static final int DESCRIBE_CONCURRENCY = 8;

    /** A run whose executions all finished. */
    private record Finished(List<ExecutionId> files, ExecutionId report, Duration elapsed) {
    }

    /**
     * Analyses the text files under {@code dir} on {@code engine} and completes with the report. The
     * worker is shut down when the run ends, however it ends; the engine is left open.
     */
    public Mono<QuickstartReport> run(Engine engine, Path dir, QuickstartSettings settings) {
        return Mono.defer(() -> {
            Instant started = engine.clock().instant();
            LaneId lane = settings.lane() != null ? settings.lane()
                    : LaneId.of("quickstart-" + UUID.randomUUID().toString().substring(0, 8));
            AtomicInteger retries = new AtomicInteger();
            WorkerRuntime worker = worker(engine, lane, settings, retries);
            ProgressMonitor monitor = new ProgressMonitor(engine, lane, settings, retries::get);
            return Mono.usingWhen(
                    Mono.fromSupplier(() -> {
                        worker.start();
                        return worker;
                    }),
                    running -> process(engine, lane, dir, settings, monitor, started),
                    WorkerRuntime::shutdown)
                    .flatMap(finished -> summarize(engine, finished))
                    .timeout(settings.timeout());
        });
    }

    /** Priority 9000 for empty files, one less per 64 bytes, at least 0. */
    static int priorityFor(long size) {
        return ExecutionPolicy.MAX_PRIORITY - (int) Math.min(ExecutionPolicy.MAX_PRIORITY, size / 64);
    }

    private static WorkerRuntime worker(Engine engine, LaneId lane, QuickstartSettings settings,
            AtomicInteger retries) {
        FileStatsHandler fileStats = new FileStatsHandler();
        return WorkerRuntime.builder(engine)
                .lane(lane)
                .workerId(WorkerId.of("quickstart"))
                .concurrency(settings.concurrency())
                .pollInterval(Duration.ofMillis(100))
                .maxPollInterval(Duration.ofMillis(500))
                .handler(FileStatsHandler.KIND, context -> {
                    if (context.attemptIndex() > 0) {
                        retries.incrementAndGet();
                    }
                    return fileStats.handle(context);
                })
                .handler(ReportHandler.KIND, new ReportHandler(engine))
                .build();
    }

    private Mono<Finished> process(Engine engine, LaneId lane, Path dir, QuickstartSettings settings,
            ProgressMonitor monitor, Instant started) {
        return Mono.fromCallable(() -> SourceFiles.scan(dir, settings.maxFiles()))
                .subscribeOn(Schedulers.boundedElastic())
                .doOnNext(files -> settings.progress().accept("found " + files.size() + " text files under " + dir))
                .zipWith(monitor.position())
                .flatMap(scan -> Flux.fromIterable(scan.getT1())
                        .flatMapSequential(file -> create(engine, fileExecution(lane, file)), CREATE_CONCURRENCY)
                        .collectList()
                        .flatMap(files -> monitor.awaitCompletions(scan.getT2(), files.size())
                                .doOnSuccess(done -> monitor.finish())
                                .thenReturn(files)))
                .flatMap(files -> create(engine, reportExecution(lane, files))
                        .flatMap(report -> monitor.awaitTerminal(report)
                                .map(done -> new Finished(files, report,
                                        Duration.between(started, engine.clock().instant())))));
    }

    private static CreateExecution fileExecution(LaneId lane, SourceFile file) {
        Payload payload = Json.write(new FileTask(file.path().toString(), file.relativePath()));
        return CreateExecution.of(FileStatsHandler.KIND, lane, payload)
                .withTag(ProgressMonitor.TAG, lane.value())
                .withPriority(priorityFor(file.size()))
                .withRetry(RETRY);
    }

    private static CreateExecution reportExecution(LaneId lane, List<ExecutionId> files) {
        Payload payload = Json.write(new ReportRequest(files.stream().map(ExecutionId::toString).toList()));
        return CreateExecution.of(ReportHandler.KIND, lane, payload)
                .withTag(ProgressMonitor.TAG, lane.value())
                .withPriority(ExecutionPolicy.MAX_PRIORITY)
                .withRetry(RETRY);
    }

    private static Mono<ExecutionId> create(Engine engine, CreateExecution request) {
        return engine.executions().create(request).map(CreateResult::executionId);
    }

    private Mono<QuickstartReport> summarize(Engine engine, Finished finished) {
        List<ExecutionId> all = new ArrayList<>(finished.files());
        all.add(finished.report());
        Mono<FileTotals> totals = engine.executions().result(finished.report())
                .map(result -> Json.read(result, FileTotals.class))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("the report execution did not complete")));
        return Flux.fromIterable(all)
                .flatMap(id -> engine.executions().describe(id), DESCRIBE_CONCURRENCY)
                .collectList()
                .zipWith(totals, (snapshots, report) -> {
                    Map<PublicState, Integer> states = new EnumMap<>(PublicState.class);
                    snapshots.forEach(s -> states.merge(s.publicState(), 1, Integer::sum));
                    int attempts = snapshots.stream().mapToInt(s -> s.attempts().size()).sum();
                    int retries = snapshots.stream().mapToInt(ExecutionSnapshot::retryCount).sum();
                    return new QuickstartReport(engine.backend(), states, attempts, retries, finished.elapsed(), report);
                });
    }
}
