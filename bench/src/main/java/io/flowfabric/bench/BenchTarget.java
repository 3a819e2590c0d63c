package io.flowfabric.bench;

import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.postgres.PostgresEngine;
import io.flowfabric.postgres.PostgresOptions;
import io.flowfabric.sqlite.SqliteEngine;
import io.flowfabric.sqlite.SqliteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One fresh database (PostgreSQL) or file (SQLite) with an engine open on it, for one scenario run, plus
 * the raw SQL the suite needs around the engine: bulk backlog fill, statistics, verification. Closing it
 * closes the engine and drops the database or deletes the file.
 */
abstract class BenchTarget implements AutoCloseable {
    /** Columns a cloned backlog row does not copy from its template. */
    private static final Set<String> TIME_COLUMNS = Set.of("created_at_ms", "eligible_at_ms", "updated_at_ms");
    private static final long CLONE_CHUNK = 100_000;

    final String backend;
    final Engine engine;

    private BenchTarget(String backend, Engine engine) {
        this.backend = backend;
        this.engine = engine;
    }

    static BenchTarget postgres(BenchDatabase db, String label, int poolSize) {
        String name = "ffbench_" + label;
        PostgresOptions options = db.createDatabase(name).withPoolSize(poolSize, poolSize)
                .withReconcilers(ReconcilerSettings.manual());
        Engine engine = PostgresEngine.connect(options).block(Duration.ofMinutes(2));
        return new Pg(db, name, engine);
    }

    static BenchTarget sqlite(Path dir, String label) {
        Path file = dir.resolve("ffbench_" + label + ".db");
        deleteSqlite(file);
        Engine engine = SqliteEngine.open(SqliteOptions.file(file).withReconcilers(ReconcilerSettings.manual()))
                .block(Duration.ofMinutes(1));
        return new Lite(file, engine);
    }

    /** A JDBC connection to the same database, for statements outside the engine. */
    abstract Connection jdbc() throws SQLException;

    /** Fresh planner statistics of the queue table and a clean checkpoint, so every round starts alike. */
    abstract void settle();

    /** Expression producing a new random execution id in this dialect. */
    abstract String newIdExpression();

    /** Rows {@code 1..n} of a generated sequence {@code g(i)} and the INSERT prefix, in this dialect. */
    abstract String cloneStatement(String columns, String expressions, long n);

    /**
     * Inserts {@code count} copies of the template execution, exactly as the engine wrote it (every column
     * copied) except a new random id and creation times spread one millisecond apart before the template's,
     * so the copies are older and claimed first.
     */
    final void cloneBacklog(ExecutionId template, long count) {
        try (Connection c = jdbc()) {
            List<String> columns = columns(c);
            long done = 0;
            while (done < count) {
                long n = Math.min(CLONE_CHUNK, count - done);
                long shift = count - done + 1000;
                List<String> exprs = new ArrayList<>();
                for (String col : columns) {
                    if (col.equals("execution_id")) {
                        exprs.add(newIdExpression());
                    } else if (TIME_COLUMNS.contains(col)) {
                        exprs.add("t." + col + " - " + shift + " + g.i");
                    } else {
                        exprs.add("t." + col);
                    }
                }
                String sql = cloneStatement(String.join(", ", columns), String.join(", ", exprs), n);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setInt(1, template.partition());
                    bindUuid(ps, 2, template);
                    ps.executeUpdate();
                }
                done += n;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("bulk backlog fill failed: " + e.getMessage(), e);
        }
    }

    abstract void bindUuid(PreparedStatement ps, int index, ExecutionId id) throws SQLException;

    abstract List<String> columns(Connection c) throws SQLException;

    final long count(String where) {
        try (Connection c = jdbc(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM ff_exec_core WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Server-side counters of this database (PostgreSQL {@code pg_stat_database}: commits, rows written and
     * read); empty for SQLite. Backends publish them within about a second of going idle.
     */
    Map<String, Long> serverCounters() {
        return Map.of();
    }

    /** {@code after - before} per execution, for every counter. */
    static Map<String, Object> perExecution(Map<String, Long> before, Map<String, Long> after, long executions) {
        Map<String, Object> m = new LinkedHashMap<>();
        before.forEach((k, v) -> m.put(k + "_per_execution",
                Stats.round3((after.getOrDefault(k, v) - v) / (double) executions)));
        return m;
    }

    @Override
    public void close() {
        engine.close();
        drop();
    }

    abstract void drop();

    private static void deleteSqlite(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class Pg extends BenchTarget {
        private final BenchDatabase db;
        private final String name;

        Pg(BenchDatabase db, String name, Engine engine) {
            super("postgres", engine);
            this.db = db;
            this.name = name;
        }

        @Override
        Connection jdbc() throws SQLException {
            return db.jdbc(name);
        }

        @Override
        void settle() {
            // Only the queue table, like the baseline's VACUUM ANALYZE bench_jobs: analysing the still empty
            // ff_attempt and outbox tables would record them as empty, and the plans PostgreSQL then caches for
            // their primary-key lookups are sequential scans that stay in use for the whole run (measured).
            try (Connection c = jdbc(); Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE ff_exec_core");
                s.execute("CHECKPOINT");
            } catch (SQLException e) {
                throw new IllegalStateException("VACUUM ANALYZE / CHECKPOINT failed: " + e.getMessage(), e);
            }
        }

        @Override
        Map<String, Long> serverCounters() {
            return db.counters(name);
        }

        @Override
        String newIdExpression() {
            return "gen_random_uuid()";
        }

        @Override
        String cloneStatement(String columns, String expressions, long n) {
            return "INSERT INTO ff_exec_core (" + columns + ") SELECT " + expressions
                    + " FROM ff_exec_core t CROSS JOIN generate_series(1, " + n + ") AS g(i)"
                    + " WHERE t.partition_key = ? AND t.execution_id = ?";
        }

        @Override
        void bindUuid(PreparedStatement ps, int index, ExecutionId id) throws SQLException {
            ps.setObject(index, id.uuid());
        }

        @Override
        List<String> columns(Connection c) throws SQLException {
            List<String> columns = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT column_name FROM "
                    + "information_schema.columns WHERE table_schema = current_schema() AND table_name = "
                    + "'ff_exec_core' ORDER BY ordinal_position")) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
            return columns;
        }

        @Override
        void drop() {
            db.dropDatabase(name);
        }
    }

    private static final class Lite extends BenchTarget {
        private final Path file;

        Lite(Path file, Engine engine) {
            super("sqlite", engine);
            this.file = file;
        }

        @Override
        Connection jdbc() throws SQLException {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
            }
            return c;
        }

        @Override
        void settle() {
            try (Connection c = jdbc(); Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                throw new IllegalStateException("wal_checkpoint failed: " + e.getMessage(), e);
            }
        }

        @Override
        String newIdExpression() {
            return "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || "
                    + "hex(randomblob(2)) || '-' || hex(randomblob(6)))";
        }

        @Override
        String cloneStatement(String columns, String expressions, long n) {
            return "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < " + n + ") "
                    + "INSERT INTO ff_exec_core (" + columns + ") SELECT " + expressions
                    + " FROM ff_exec_core t CROSS JOIN g WHERE t.partition_key = ? AND t.execution_id = ?";
        }

        @Override
        void bindUuid(PreparedStatement ps, int index, ExecutionId id) throws SQLException {
            ps.setString(index, id.uuid().toString());
        }

        @Override
        List<String> columns(Connection c) throws SQLException {
            List<String> columns = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(ff_exec_core)")) {
                while (rs.next()) {
                    columns.add(rs.getString("name"));
                }
            }
            return columns;
        }

        @Override
        void drop() {
            deleteSqlite(file);
        }
    }
}
