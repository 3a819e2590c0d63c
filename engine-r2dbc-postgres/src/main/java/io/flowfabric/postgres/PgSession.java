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
 */
final class PgSession {
    private final Connection connection;

    PgSession(Connection connection) {
        this.connection = connection;
    }

    /** Rows of {@code sql} mapped by {@code mapper}, in the order the server returns them. */
    <T> Flux<T> query(String sql, Consumer<Statement> binder, Function<Readable, T> mapper) {
        return Flux.defer(() -> {
            Statement statement = connection.createStatement(sql);
            binder.accept(statement);
            return Flux.from(statement.execute()).concatMap(result -> result.map(mapper));
        });
    }

    /** The number of rows {@code sql} inserted, updated or deleted. */
    Mono<Long> update(String sql, Consumer<Statement> binder) {
        return Flux.defer(() -> {
            Statement statement = connection.createStatement(sql);
            binder.accept(statement);
            return Flux.from(statement.execute()).concatMap(Result::getRowsUpdated);
        }).reduce(0L, Long::sum);
    }
}
