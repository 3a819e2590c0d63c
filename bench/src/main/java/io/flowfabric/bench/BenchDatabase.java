package io.flowfabric.bench;

import io.flowfabric.postgres.PostgresOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The PostgreSQL server a benchmark runs against: the one named by a URL, or an embedded PostgreSQL 15
 * started from Maven Central binaries with production-like durability ({@code fsync} and
 * {@code synchronous_commit} on). Scenarios get a fresh database each ({@link #createDatabase}), created
 * and dropped through the database of the URL (or {@code postgres}), which needs the CREATEDB privilege.
 */
final class BenchDatabase implements AutoCloseable {
    private static final List<String> REPORTED_SETTINGS = List.of("server_version", "synchronous_commit", "fsync",
            "full_page_writes", "shared_buffers", "max_connections", "wal_level", "checkpoint_timeout", "max_wal_size",
            "autovacuum");

    private final EmbeddedPostgres embedded;
    private final PostgresOptions options;

    private BenchDatabase(EmbeddedPostgres embedded, PostgresOptions options) {
        this.embedded = embedded;
        this.options = options;
    }

    static BenchDatabase open(String url) {
        if (url != null) {
            return new BenchDatabase(null, PostgresOptions.fromUrl(url));
        }
        try {
            // Binaries unpack under bench/target rather than java.io.tmpdir/embedded-pg: .ci/run kills every
            // postgres under embedded-pg/PG-* (orphans of killed test JVMs), which would stop a benchmark
            // running next to a CI run.
            java.io.File binaries = new java.io.File(System.getProperty("bench.target", "bench/target"), "pg-binaries");
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(binaries)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "200")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60))
                    .start();
            return new BenchDatabase(pg, PostgresOptions.of("localhost", pg.getPort(), "postgres", "postgres", ""));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    /** Options of the maintenance database (the URL's, or {@code postgres} on the embedded server). */
    PostgresOptions options() {
        return options;
    }

    /** Server settings worth reporting next to the figures, as {@code SHOW} returns them. */
    Map<String, String> describe() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server", embedded == null ? "external (" + options.host() + ":" + options.port() + ")"
                : "embedded PostgreSQL 15 (zonky), binaries under bench/target/pg-binaries, data under java.io.tmpdir");
        try (Connection c = jdbc(options.database()); Statement s = c.createStatement()) {
            for (String name : REPORTED_SETTINGS) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            settings.put("error", e.getMessage());
        }
        return settings;
    }

    /** A plain JDBC connection (autocommit) to {@code database} on this server. */
    Connection jdbc(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", options.user());
        if (options.password() != null) {
            props.setProperty("password", options.password());
        }
        return DriverManager.getConnection(options.withDatabase(database).jdbcUrl(), props);
    }

    /** {@code pg_stat_database} counters of {@code database}: commits, rows written and read. */
    Map<String, Long> counters(String database) {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Connection c = jdbc(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, tup_returned,"
                        + " tup_fetched FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                m.put(rs.getMetaData().getColumnName(i), rs.getLong(i));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    /** Creates an empty database (dropping a leftover of the same name) and returns options reaching it. */
    PostgresOptions createDatabase(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        admin("CREATE DATABASE " + name);
        return options.withDatabase(name);
    }

    void dropDatabase(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void admin(String sql) {
        try (Connection c = jdbc(options.database()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
