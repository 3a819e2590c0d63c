package io.flowfabric.bench;

import io.flowfabric.api.Engine;
import io.flowfabric.api.LaneId;
import io.flowfabric.runtime.ExecutionHandler;
import io.flowfabric.runtime.WorkerRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Mono;

/**
 * The hot-path benchmark suite (docs/performance.md): S1 end-to-end worker throughput against the raw
 * queue baseline, S2 enqueue-to-start latency, S3 steady state, S4 claim throughput against a backlog, on
 * PostgreSQL and SQLite. Prints a table and writes every figure to a JSON report.
 */
@Command(name = "bench-suite", mixinStandardHelpOptions = true, sortOptions = false,
        description = "FlowFabric hot-path benchmarks (S1-S4) on PostgreSQL and SQLite.")
public final class BenchSuite implements Runnable {
    @Option(names = "--postgres-url", description = "an existing server (needs CREATEDB); default: embedded PG 15")
    String postgresUrl;
    @Option(names = "--backend", defaultValue = "both", description = "postgres, sqlite or both (default ${DEFAULT-VALUE})")
    String backend;
    @Option(names = "--scenarios", defaultValue = "S1,S2,S3,S4", split = ",", description = "default ${DEFAULT-VALUE}")
    List<String> scenarios;
    @Option(names = "--json", description = "report file (default bench/target/bench-report.json)")
    Path json;
    @Option(names = "--sqlite-dir", description = "where SQLite files go (default bench/target/sqlite)")
    Path sqliteDir;
    @Option(names = "--profile", description = "sample thread stacks during S1 and report where CPU goes")
    boolean profile;
    @Option(names = "--skip-baseline", description = "do not run the raw-queue baselines before S1")
    boolean skipBaseline;

    @Option(names = "--concurrency", defaultValue = "16", description = "worker slots / baseline workers (${DEFAULT-VALUE})")
    int concurrency;
    @Option(names = "--pool", defaultValue = "16", description = "PostgreSQL pool size, engine and baseline (${DEFAULT-VALUE})")
    int poolSize;
    @Option(names = "--poll-ms", defaultValue = "10", description = "worker poll interval, also its cap (${DEFAULT-VALUE})")
    int pollMs;
    @Option(names = "--create-concurrency", defaultValue = "32", description = "creates in flight when filling (${DEFAULT-VALUE})")
    int createConcurrency;
    @Option(names = "--rounds", defaultValue = "3", description = "measured S1/baseline rounds, median reported (${DEFAULT-VALUE})")
    int rounds;
    @Option(names = "--warmup-rounds", defaultValue = "5",
            description = "unmeasured S1/baseline rounds first (${DEFAULT-VALUE})")
    int warmupRounds;

    @Option(names = "--s1-executions", defaultValue = "10000", description = "(${DEFAULT-VALUE})")
    int s1Executions;
    @Option(names = "--s2-rate", defaultValue = "50", description = "creates per second (${DEFAULT-VALUE})")
    double s2Rate;
    @Option(names = "--s2-poll-ms", defaultValue = "10,1", split = ",",
            description = "worker poll intervals to run S2 with; the first is held to the target (${DEFAULT-VALUE})")
    List<Integer> s2PollMs;
    @Option(names = "--s2-seconds", defaultValue = "20", description = "(${DEFAULT-VALUE})")
    int s2Seconds;
    @Option(names = "--s2-warmup-seconds", defaultValue = "3", description = "(${DEFAULT-VALUE})")
    int s2WarmupSeconds;
    @Option(names = "--s3-seconds", defaultValue = "60", description = "measured window (${DEFAULT-VALUE})")
    int s3Seconds;
    @Option(names = "--s3-warmup-seconds", defaultValue = "5", description = "(${DEFAULT-VALUE})")
    int s3WarmupSeconds;
    @Option(names = "--s3-producers", defaultValue = "4", description = "(${DEFAULT-VALUE})")
    int s3Producers;
    @Option(names = "--s3-outstanding", defaultValue = "32",
            description = "most executions between create and completion event (${DEFAULT-VALUE})")
    int s3Outstanding;
    @Option(names = "--s4-backlogs", defaultValue = "10000,100000,1000000", split = ",", description = "(${DEFAULT-VALUE})")
    List<Long> s4Backlogs;
    @Option(names = "--s4-measure", defaultValue = "20000", description = "executions timed per backlog (${DEFAULT-VALUE})")
    long s4Measure;
    @Option(names = "--s4-warmup", defaultValue = "2000", description = "executions claimed untimed first (${DEFAULT-VALUE})")
    long s4Warmup;
    @Option(names = "--s4-batch", defaultValue = "50", description = "claimBatch size (${DEFAULT-VALUE})")
    int s4Batch;
    @Option(names = "--s4-claimers", defaultValue = "4", description = "concurrent claim loops (${DEFAULT-VALUE})")
    int s4Claimers;
    @Option(names = "--s4-fill", defaultValue = "auto", description = "api, sql or auto: api unless the API create rate"
            + " measured on a smaller backlog projects more than --s4-api-fill-max-seconds (${DEFAULT-VALUE})")
    String s4Fill;
    @Option(names = "--s4-repeat-first", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "measure the smallest backlog again after the largest, to expose drift (${DEFAULT-VALUE})")
    boolean s4RepeatFirst;
    @Option(names = "--s4-api-fill-max-seconds", defaultValue = "300", description = "(${DEFAULT-VALUE})")
    long s4ApiFillMaxSeconds;

    /** Time for the report's timestamps and the baselines' rows; the benchmarks' durations use System.nanoTime. */
    final java.time.Clock clock = java.time.Clock.systemUTC();
    final Report report = new Report(clock);
    private BenchDatabase db;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchSuite()).execute(args));
    }

    @Override
    public void run() {
        Path target = Path.of(System.getProperty("bench.target", "bench/target"));
        json = json != null ? json : target.resolve("bench-report.json");
        sqliteDir = sqliteDir != null ? sqliteDir : target.resolve("sqlite");
        List<String> backends = backend.equals("both") ? List.of("postgres", "sqlite") : List.of(backend);
        report.run.put("arguments", describeArguments());
        try {
            java.nio.file.Files.createDirectories(sqliteDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            for (String b : backends) {
                System.out.println("== " + b + " ==");
                if (b.equals("postgres")) {
                    db = BenchDatabase.open(postgresUrl);
                    report.postgres.putAll(db.describe());
                    System.out.println("  postgres: " + report.postgres);
                }
                try {
                    runBackend(b);
                } finally {
                    if (db != null) {
                        db.close();
                        db = null;
                    }
                }
            }
        } finally {
            report.machine.put("load_average_at_end", Stats.loadAverage());
            report.run.put("finished_at", clock.instant().toString());
            Verdicts.evaluate(this);
            report.print(System.out);
            report.write(json);
            System.out.println();
            System.out.println("JSON report: " + json.toAbsolutePath());
        }
    }

    private void runBackend(String b) {
        if (has("S1")) {
            if (!skipBaseline) {
                System.out.println("  baseline (raw queue) ...");
                if (b.equals("postgres")) {
                    Baselines.postgres(this, db);
                } else {
                    Baselines.sqlite(this, sqliteDir);
                }
            }
            System.out.println("  S1 ...");
            ThroughputScenarios.s1(this, b);
        }
        if (has("S2")) {
            System.out.println("  S2 ...");
            LatencyScenarios.s2(this, b);
        }
        if (has("S3")) {
            System.out.println("  S3 ...");
            LatencyScenarios.s3(this, b);
        }
        if (has("S4")) {
            System.out.println("  S4 ...");
            ThroughputScenarios.s4(this, b);
        }
    }

    private boolean has(String scenario) {
        return scenarios.stream().anyMatch(s -> s.trim().equalsIgnoreCase(scenario));
    }

    /** A fresh database (PostgreSQL) or file (SQLite) with an engine, reconcilers manual. */
    BenchTarget open(String b, String label) {
        return b.equals("postgres") ? BenchTarget.postgres(db, label, poolSize) : BenchTarget.sqlite(sqliteDir, label);
    }

    /** The worker every scenario uses: no-op handler unless given, poll interval fixed at --poll-ms. */
    WorkerRuntime worker(Engine engine, LaneId lane) {
        return worker(engine, lane, ctx -> Mono.empty());
    }

    WorkerRuntime worker(Engine engine, LaneId lane, ExecutionHandler handler) {
        return worker(engine, lane, pollMs, handler);
    }

    WorkerRuntime worker(Engine engine, LaneId lane, int poll, ExecutionHandler handler) {
        return WorkerRuntime.builder(engine).lane(lane).concurrency(concurrency)
                .pollInterval(Duration.ofMillis(poll)).maxPollInterval(Duration.ofMillis(poll))
                .handler(ThroughputScenarios.KIND, handler).build();
    }

    private Map<String, Object> describeArguments() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("backend", backend);
        m.put("scenarios", scenarios);
        m.put("postgres", postgresUrl == null ? "embedded" : "external");
        m.put("concurrency", concurrency);
        m.put("pool", poolSize);
        m.put("poll_ms", pollMs);
        m.put("rounds", rounds);
        m.put("warmup_rounds", warmupRounds);
        m.put("s1_executions", s1Executions);
        m.put("s2", String.format(Locale.ROOT, "%.0f/s for %d s (+%d s warm-up), poll %s ms", s2Rate, s2Seconds,
                s2WarmupSeconds, s2PollMs));
        m.put("s3", String.format(Locale.ROOT, "%d s (+%d s warm-up), %d producers, %d outstanding", s3Seconds,
                s3WarmupSeconds, s3Producers, s3Outstanding));
        m.put("s4", String.format(Locale.ROOT, "backlogs %s, %d measured (+%d warm-up), claimBatch(%d) x %d claimers,"
                + " fill %s", s4Backlogs, s4Measure, s4Warmup, s4Batch, s4Claimers, s4Fill));
        m.put("profile", profile);
        return m;
    }
}
