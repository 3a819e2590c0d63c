package io.flowfabric.postgres;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.util.function.Consumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs parameterised statements on one connection. Statements are created and bound lazily, on
 * subscription, so a binding error surfaces as an error signal and nothing runs twice on resubscription
 * by accident. Values are only ever bound, never spliced into the SQL text, which also lets the driver
 * reuse its prepared statement per SQL text.
 *
 * <p>A transaction's session also holds its {@link PgWriteBatch}: every statement first sends the writes
 * waiting there, so statements observe them in program order, and {@link #flushWrites()} sends them
 * before COMMIT.
 */
final class PgSession {
    private final Connection connection;
    private final PgWriteBatch writes;

    /** A session outside any transaction: nothing is batched. */
    PgSession(Connection connection) {
        this(connection, null);
    }

    PgSession(Connection connection, PgWriteBatch writes) {
        this.connection = connection;
        this.writes = writes;
    }

    /** The transaction's waiting writes; only transactional sessions have them. */
    PgWriteBatch writes() {
        if (writes == null) {
            throw new IllegalStateException("writes are only batched inside a transaction");
        }
        return writes;
    }

    /** Sends the waiting writes, if any. */
    Mono<Void> flushWrites() {
        return writes == null ? Mono.empty() : Mono.defer(() -> writes.flush(this));
    }

    /** Rows of {@code sql} mapped by {@code mapper}, in the order the server returns them. */
    <T> Flux<T> query(String sql, Consumer<Statement> binder, Function<Readable, T> mapper) {
        return flushWrites().thenMany(Flux.defer(() -> {
            Statement statement = connection.createStatement(sql);
            binder.accept(statement);
            return Flux.from(statement.execute()).concatMap(result -> result.map(mapper));
        }));
    }

    /** The number of rows {@code sql} inserted, updated or deleted. */
    Mono<Long> update(String sql, Consumer<Statement> binder) {
        return flushWrites().then(Flux.defer(() -> {
            Statement statement = connection.createStatement(sql);
            binder.accept(statement);
            return Flux.from(statement.execute()).concatMap(Result::getRowsUpdated);
        }).reduce(0L, Long::sum));
    }

    /** Runs the batch statement of a {@link PgWriteBatch}; emits its single {@code bigint} column. */
    Mono<Long> writeBatch(String sql, Consumer<Statement> binder) {
        return Flux.defer(() -> {
            Statement statement = connection.createStatement(sql);
            binder.accept(statement);
            return Flux.from(statement.execute()).concatMap(result -> result.map(row -> row.get(0, Long.class)));
        }).single();
    }
}
