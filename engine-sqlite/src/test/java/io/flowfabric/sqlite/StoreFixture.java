package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.StoreReads;
import io.flowfabric.internal.StoreTx;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A store on a fresh SQLite file per test (in memory when a subclass says so), with small helpers. */
abstract class StoreFixture {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    SqliteStore store;

    SqliteOptions options() {
        return SqliteOptions.file(dir.resolve("store.db"));
    }

    @BeforeEach
    void open() {
        store = SqliteStore.open(options()).block(TIMEOUT);
    }

    @AfterEach
    void close() {
        store.close().block(TIMEOUT);
    }

    <T> T tx(Function<StoreTx, Mono<T>> work) {
        return store.inTransaction(work).block(TIMEOUT);
    }

    <T> T read(Function<StoreReads, Mono<T>> work) {
        return store.read(work).block(TIMEOUT);
    }

    void insert(ExecutionRow... rows) {
        assertThat(this.<Boolean>tx(t -> Flux.fromArray(rows).concatMap(t::insertExecution).all(Boolean::booleanValue)))
                .isTrue();
    }

    /** The first column of every row {@code sql} returns, as text, read outside the SPI. */
    List<String> column(String sql, Object... args) {
        return store.readScope(scope -> scope.mono("test query", () -> {
            List<String> values = new ArrayList<>();
            try (PreparedStatement ps = scope.connection().jdbc().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        values.add(rs.getString(1));
                    }
                }
            }
            return values;
        })).block(TIMEOUT);
    }

    /** The detail column of {@code EXPLAIN QUERY PLAN}, parameters unbound. */
    List<String> plan(String sql) {
        return store.readScope(scope -> scope.mono("plan", () -> {
            List<String> steps = new ArrayList<>();
            try (PreparedStatement ps = scope.connection().jdbc().prepareStatement("EXPLAIN QUERY PLAN " + sql);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
            return steps;
        })).block(TIMEOUT);
    }

    /** Runs one statement in its own write transaction, outside the SPI; emits the changed row count. */
    int execute(String sql, Object... args) {
        return store.writeScope(scope -> scope.mono("test statement", () -> {
            try (PreparedStatement ps = scope.connection().jdbc().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        })).block(TIMEOUT);
    }

    long count(String sql, Object... args) {
        return Long.parseLong(column(sql, args).get(0));
    }
}
