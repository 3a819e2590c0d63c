package io.flowfabric.bench;

import io.flowfabric.postgres.PostgresOptions;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The raw queues the engine is compared with, measured in the same run right before the engine.
 *
 * <p>PostgreSQL: the SKIP LOCKED queue of reference/toolchain.md section 5 (its own table
 * {@code bench_jobs}), R2DBC with an r2dbc-pool of the engine's pool size, N workers each taking one
 * pooled connection per job and running two autocommit statements: claim one
 * ({@code UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING}), complete one.
 *
 * <p>SQLite: the single-writer transaction rate, one {@code BEGIN IMMEDIATE; INSERT; UPDATE; COMMIT}
 * per job on one JDBC connection (WAL, {@code synchronous=NORMAL} like the engine's default), no thread hops.
 */
final class Baselines {
    private static final String CLAIM = "UPDATE bench_jobs SET state = 'running', worker = $1, attempts = attempts + 1,"
            + " claimed_at = now() WHERE id = (SELECT id FROM bench_jobs WHERE state = 'queued' ORDER BY id LIMIT 1"
            + " FOR UPDATE SKIP LOCKED) RETURNING id, payload";
    private static final String COMPLETE = "UPDATE bench_jobs SET state = 'done' WHERE id = $1";

    private Baselines() {
    }

    /** Rounds of the raw PostgreSQL queue; emits one result with the median of the measured rounds. */
    static void postgres(BenchSuite s, BenchDatabase db) {
        String name = "ffbench_baseline";
        PostgresOptions options = db.createDatabase(name);
        try {
            jdbc(db, name, "CREATE TABLE bench_jobs (id bigserial PRIMARY KEY, state text NOT NULL, worker int,"
                    + " attempts int NOT NULL DEFAULT 0, claimed_at timestamptz, payload jsonb)",
                    "CREATE INDEX bench_jobs_queued ON bench_jobs (id) WHERE state = 'queued'");
            PostgresqlConnectionConfiguration.Builder cfg = PostgresqlConnectionConfiguration.builder()
                    .host(options.host()).port(options.port()).database(name).username(options.user());
            if (options.password() != null) {
                cfg.password(options.password());
            }
            ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration
                    .builder(new PostgresqlConnectionFactory(cfg.build()))
                    .initialSize(s.poolSize).maxSize(s.poolSize).build());
            try {
                List<Double> rates = new ArrayList<>();
                Map<String, Long> serverBefore = Map.of();
                Map<String, Object> server = Map.of();
                Map<String, Object> cpuUse = Map.of();
                for (int round = 0; round < s.warmupRounds + s.rounds; round++) {
                    jdbc(db, name, "TRUNCATE bench_jobs RESTART IDENTITY",
                            "INSERT INTO bench_jobs (state, payload) SELECT 'queued', '{}'::jsonb"
                                    + " FROM generate_series(1, " + s.s1Executions + ")",
                            "VACUUM ANALYZE bench_jobs", "CHECKPOINT");
                    boolean last = round == s.warmupRounds + s.rounds - 1;
                    if (last) {
                        Stats.sleep(Duration.ofMillis(2000));
                        serverBefore = db.counters(name);
                    }
                    Stats.CpuWindow cpu = Stats.CpuWindow.start();
                    long start = System.nanoTime();
                    Flux.range(0, s.concurrency)
                            .flatMap(w -> Mono.defer(() -> job(pool, w)).repeat().takeWhile(done -> done),
                                    s.concurrency)
                            .then().block(Duration.ofMinutes(10));
                    long nanos = System.nanoTime() - start;
                    if (last) {
                        cpuUse = cpu.stop();
                        Stats.sleep(Duration.ofMillis(2000));
                        server = BenchTarget.perExecution(serverBefore, db.counters(name), s.s1Executions);
                    }
                    verify(db, name, s.s1Executions);
                    double rate = Stats.rate(s.s1Executions, nanos);
                    System.out.printf(Locale.ROOT, "    baseline round %d%s: %.0f jobs/s%n", round + 1,
                            round < s.warmupRounds ? " (warm-up)" : "", rate);
                    if (round >= s.warmupRounds) {
                        rates.add(rate);
                    }
                    if (last) {
                        cpuUse = Stats.perItem(cpuUse, rate);
                    }
                }
                double median = Stats.median(rates);
                Map<String, Object> r = s.report.add("S1", "postgres", "raw SKIP LOCKED baseline",
                        String.format(Locale.ROOT, "%.0f jobs/s (median of %s)", median, rates));
                r.put("jobs_per_s", median);
                r.put("rounds_jobs_per_s", rates);
                r.put("jobs", s.s1Executions);
                r.put("workers", s.concurrency);
                r.put("pool", s.poolSize);
                r.put("server_last_round", server);
                r.put("cpu_last_round", cpuUse);
            } finally {
                pool.disposeLater().block(Duration.ofSeconds(30));
            }
        } finally {
            db.dropDatabase(name);
        }
    }

    private static Mono<Boolean> job(ConnectionPool pool, int worker) {
        return Mono.usingWhen(pool.create(), c -> claim(c, worker)
                .flatMap(id -> Flux.from(c.createStatement(COMPLETE).bind("$1", id).execute())
                        .flatMap(Result::getRowsUpdated).then(Mono.just(true)))
                .defaultIfEmpty(false), Connection::close);
    }

    private static Mono<Long> claim(Connection c, int worker) {
        return Flux.from(c.createStatement(CLAIM).bind("$1", worker).execute())
                .flatMap(result -> result.map((row, meta) -> row.get("id", Long.class)))
                .next();
    }

    private static void verify(BenchDatabase db, String name, int jobs) {
        try (java.sql.Connection c = db.jdbc(name); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FILTER (WHERE state = 'done'), max(attempts) FROM bench_jobs")) {
            rs.next();
            if (rs.getLong(1) != jobs || rs.getInt(2) != 1) {
                throw new IllegalStateException("baseline round broken: done " + rs.getLong(1) + " of " + jobs
                        + ", max attempts " + rs.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void jdbc(BenchDatabase db, String name, String... statements) {
        try (java.sql.Connection c = db.jdbc(name); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The SQLite single-writer rate: one INSERT + UPDATE transaction per job. */
    static void sqlite(BenchSuite s, Path dir) {
        List<Double> rates = new ArrayList<>();
        Path file = dir.resolve("ffbench_baseline.db");
        for (int round = 0; round < s.warmupRounds + s.rounds; round++) {
            double rate = sqliteRound(file, s.s1Executions, s.clock);
            System.out.printf(Locale.ROOT, "    baseline round %d%s: %.0f jobs/s%n", round + 1,
                    round < s.warmupRounds ? " (warm-up)" : "", rate);
            if (round >= s.warmupRounds) {
                rates.add(rate);
            }
        }
        double median = Stats.median(rates);
        Map<String, Object> r = s.report.add("S1", "sqlite", "raw single-writer txn baseline",
                String.format(Locale.ROOT, "%.0f jobs/s (median of %s)", median, rates));
        r.put("jobs_per_s", median);
        r.put("rounds_jobs_per_s", rates);
        r.put("jobs", s.s1Executions);
        r.put("transaction", "BEGIN IMMEDIATE; INSERT event; UPDATE job; COMMIT (WAL, synchronous=NORMAL)");
    }

    private static double sqliteRound(Path file, int jobs, java.time.Clock clock) {
        try {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                java.nio.file.Files.deleteIfExists(Path.of(file + suffix));
            }
            try (java.sql.Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                    Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
                st.execute("CREATE TABLE bench_jobs (id INTEGER PRIMARY KEY, state TEXT NOT NULL, payload BLOB)");
                st.execute("CREATE TABLE bench_events (id INTEGER PRIMARY KEY, job_id INTEGER NOT NULL,"
                        + " at_ms INTEGER NOT NULL)");
                st.execute("BEGIN");
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO bench_jobs (state, payload) VALUES ('queued', x'')")) {
                    for (int i = 0; i < jobs; i++) {
                        ins.executeUpdate();
                    }
                }
                st.execute("COMMIT");
                try (PreparedStatement event = c.prepareStatement("INSERT INTO bench_events (job_id, at_ms) VALUES (?, ?)");
                        PreparedStatement done = c.prepareStatement("UPDATE bench_jobs SET state = 'done' WHERE id = ?")) {
                    long start = System.nanoTime();
                    for (int id = 1; id <= jobs; id++) {
                        st.execute("BEGIN IMMEDIATE");
                        event.setInt(1, id);
                        event.setLong(2, clock.millis());
                        event.executeUpdate();
                        done.setInt(1, id);
                        done.executeUpdate();
                        st.execute("COMMIT");
                    }
                    return Stats.rate(jobs, System.nanoTime() - start);
                }
            } finally {
                for (String suffix : new String[] {"", "-wal", "-shm"}) {
                    java.nio.file.Files.deleteIfExists(Path.of(file + suffix));
                }
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("SQLite baseline failed: " + e.getMessage(), e);
        }
    }
}
