package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.Engine;
import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.TransientException;
import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.internal.ExecutionRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Opening, migrating and closing; behaviour specific to database files. */
class SqliteEngineTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void opensAFileCreatingItsDirectoriesAndMigrating() throws Exception {
        Path file = dir.resolve("a/b/engine.db");
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

        Engine engine = SqliteEngine.open(SqliteOptions.file(file).withClock(clock)).block(TIMEOUT);

        assertThat(engine.backend()).isEqualTo("sqlite");
        assertThat(engine.clock()).isSameAs(clock);
        assertThat(Files.exists(file)).isTrue();
        engine.shutdown().block(TIMEOUT);
        engine.shutdown().block(TIMEOUT);
        assertThat(query(file, "PRAGMA journal_mode")).isEqualTo("wal");
        assertThat(query(file, "SELECT group_concat(version, ',') FROM (SELECT version FROM flyway_schema_history"
                + " WHERE success = 1 ORDER BY installed_rank)")).isEqualTo(migrationVersions());
    }

    /** The versions of the SQLite migrations in the sql module, in order, e.g. "1,2,3". */
    private static String migrationVersions() throws IOException {
        try (var files = Files.list(Path.of("..", "sql", "src", "main", "resources", "db", "sqlite"))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__\\w+\\.sql"))
                    .map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .sorted()
                    .map(String::valueOf)
                    .collect(Collectors.joining(","));
        }
    }

    @Test
    void reopensAMigratedFileAndKeepsItsRows() {
        SqliteOptions options = SqliteOptions.file(dir.resolve("reopen.db"));
        ExecutionRow row = TestRows.runnable(4, 1);
        SqliteStore first = SqliteStore.open(options).block(TIMEOUT);
        first.inTransaction(t -> t.insertExecution(row)).block(TIMEOUT);
        first.close().block(TIMEOUT);

        SqliteStore second = SqliteStore.open(options).block(TIMEOUT);
        try {
            assertThat(second.read(r -> r.findExecution(row.id())).block(TIMEOUT)).isNotNull();
        } finally {
            second.close().block(TIMEOUT);
        }
    }

    @Test
    void opensAnInMemoryDatabase() {
        StepVerifier.create(SqliteEngine.open(SqliteOptions.inMemory())
                        .flatMap(engine -> engine.shutdown().thenReturn(engine.backend())))
                .expectNext("sqlite")
                .verifyComplete();
    }

    @Test
    void failsAsUnavailableWhenTheDirectoryCannotBeCreated() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");

        StepVerifier.create(SqliteEngine.open(SqliteOptions.file(notADirectory.resolve("engine.db"))))
                .expectError(UnavailableException.class)
                .verify(TIMEOUT);
    }

    @Test
    void failsAsUnavailableWhenTheFileIsNotADatabase() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.db"), "this is not a sqlite database".repeat(40));

        StepVerifier.create(SqliteEngine.open(SqliteOptions.file(garbage)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnavailableException.class)
                        .hasRootCauseInstanceOf(SQLiteException.class))
                .verify(TIMEOUT);
    }

    @Test
    void aDatabaseLockedByAnotherProcessIsTransient() throws Exception {
        Path file = dir.resolve("busy.db");
        SqliteStore store = SqliteStore.open(SqliteOptions.file(file).withBusyTimeout(Duration.ofMillis(50)))
                .block(TIMEOUT);
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");

            StepVerifier.create(store.inTransaction(t -> Mono.just(1)))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TransientException.class)
                            .hasCauseInstanceOf(SQLiteException.class))
                    .verify(TIMEOUT);

            statement.execute("ROLLBACK");
            assertThat(store.inTransaction(t -> Mono.just(2)).block(TIMEOUT)).isEqualTo(2);
        } finally {
            store.close().block(TIMEOUT);
        }
    }

    @Test
    void aSigningKeyConflictFailsOpenAndClosesTheDatabase() throws Exception {
        String secret = "00112233445566778899aabbccddeeff";
        String other = "ffeeddccbbaa99887766554433221100";
        SqliteOptions options = SqliteOptions.file(dir.resolve("keys.db"));
        SqliteEngine.open(options.withSigningKey("k1", secret)).block(TIMEOUT).shutdown().block(TIMEOUT);
        Set<String> writersBefore = writerThreads();

        StepVerifier.create(SqliteEngine.open(options.withSigningKey("k1", other)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConflictException.class)
                        .hasMessageNotContaining(other).hasMessageNotContaining(secret))
                .verify(TIMEOUT);

        // The failed open started a writer thread of its own; closing the database ends it.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Set<String> started = new HashSet<>(writerThreads());
        started.removeAll(writersBefore);
        while (!started.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            started.retainAll(writerThreads());
        }
        assertThat(started).as("writer threads left by the failed open").isEmpty();
        assertThat(query(dir.resolve("keys.db"), "SELECT count(*) FROM ff_waitpoint_hmac")).isEqualTo("1");
    }

    private static Set<String> writerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(SqliteTransactionTest.WRITER_PREFIX)).collect(Collectors.toSet());
    }

    private static String query(Path file, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
