package io.flowfabric.postgres;

import io.flowfabric.api.ExecutionId;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Readable;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * before COMMIT. An optimistic session (no transaction, a guarded batch) runs reads as they come and
 * refuses anything that would split its writes: a read after a write, or a statement that writes at once.
 */
final class PgSession {
    /** What the session allows and how its writes travel. */
    private enum Mode {
        /** Outside any transaction: every statement runs on its own, nothing is batched. */
        PLAIN,
        /** Inside a transaction: writes are batched and sent before the next statement and COMMIT. */
        TRANSACTION,
        /** {@link PgStore#optimistic}: reads, then one guarded write; nothing else. */
        OPTIMISTIC,
        /** {@link PgStore#singleStatement}: exactly one statement, in autocommit mode. */
        SINGLE_STATEMENT
    }

    private final Connection connection;
    private final Mode mode;
    private final PgWriteBatch writes;
    private final AtomicBoolean statementRun = new AtomicBoolean();

    private PgSession(Connection connection, Mode mode, PgWriteBatch writes) {
        this.connection = connection;
        this.mode = mode;
        this.writes = writes;
    }

    /** A session outside any transaction: nothing is batched. */
    PgSession(Connection connection) {
        this(connection, Mode.PLAIN, null);
    }

    /** A transaction's session, whose writes wait in a batch. */
    static PgSession transaction(Connection connection) {
        return new PgSession(connection, Mode.TRANSACTION, new PgWriteBatch(false));
    }

    /** A session for {@link PgStore#singleStatement}: one statement in autocommit mode, nothing batched. */
    static PgSession singleStatement(Connection connection) {
        return new PgSession(connection, Mode.SINGLE_STATEMENT, null);
    }

    /** A session for {@link PgStore#optimistic}: reads without locks, one guarded write at the end. */
    static PgSession optimistic(Connection connection) {
        return new PgSession(connection, Mode.OPTIMISTIC, new PgWriteBatch(true));
    }

    boolean isOptimistic() {
        return mode == Mode.OPTIMISTIC;
    }

    /** The waiting writes; only transactional and optimistic sessions batch them. */
    PgWriteBatch writes() {
        if (writes == null) {
            throw new IllegalStateException("writes are only batched inside a transaction");
        }
        return writes;
    }

    /** Sends the waiting writes, if any; emits the executions a guarded batch did not update. */
    Mono<Set<ExecutionId>> flushWrites() {
        return writes == null ? Mono.just(Set.of()) : Mono.defer(() -> writes.flush(this));
    }

    /**
     * Before a statement runs (on subscription): sends the waiting writes, or refuses what the mode does not
     * allow (an optimistic session splitting its writes, a single-statement session running a second).
     */
    private Mono<Void> beforeStatement(boolean writesAtOnce) {
        return Mono.defer(() -> switch (mode) {
            case PLAIN -> Mono.empty();
            case TRANSACTION -> flushWrites().then();
            case SINGLE_STATEMENT -> statementRun.compareAndSet(false, true) ? Mono.empty()
                    : Mono.error(new IllegalStateException("a single-statement operation ran a second statement"));
            case OPTIMISTIC -> writesAtOnce || !writes.isEmpty()
                    ? Mono.error(new IllegalStateException("an optimistic operation may only read before it writes,"
                            + " and write only batched execution, attempt and outbox rows"))
                    : Mono.empty();
        });
    }

    /** Rows of {@code sql} mapped by {@code mapper}, in the order the server returns them. */
    <T> Flux<T> query(String sql, Consumer<Statement> binder, Function<Readable, T> mapper) {
        return beforeStatement(false).thenMany(Flux.defer(() -> {
            Statement statement = connection.createStatement(sql);
            binder.accept(statement);
            return Flux.from(statement.execute()).concatMap(result -> result.map(mapper));
        }));
    }

    /** The number of rows {@code sql} inserted, updated or deleted. */
    Mono<Long> update(String sql, Consumer<Statement> binder) {
        return beforeStatement(true).then(Flux.defer(() -> {
            Statement statement = connection.createStatement(sql);
            binder.accept(statement);
            return Flux.from(statement.execute()).concatMap(Result::getRowsUpdated);
        }).reduce(0L, Long::sum));
    }

    /** Runs the statement of a {@link PgWriteBatch}; emits the keys of the executions it updated. */
    Mono<List<ExecutionId>> writeBatch(String sql, Consumer<Statement> binder) {
        return Flux.defer(() -> {
            Statement statement = connection.createStatement(sql);
            binder.accept(statement);
            return Flux.from(statement.execute()).concatMap(result -> result.map(PgRows::executionId));
        }).collectList();
    }
}
