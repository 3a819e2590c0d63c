package io.flowfabric.sqlite;

import java.sql.SQLException;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The statements of one transaction or read call: they run on one connection, on the one thread that owns
 * the call, and only while the call is open.
 *
 * <p>Every statement executes synchronously when its publisher is subscribed and returns an already
 * completed {@code Mono} or {@code Flux} (results are materialised first), so the core engine's
 * composition of statements runs inside the task that opened the scope. A statement subscribed on any
 * other thread, or after the call ended, throws {@link IllegalStateException}: an accidental async hop
 * inside a transaction fails loudly instead of interleaving with another transaction.
 */
final class Scope {
    /** A JDBC call of one statement. */
    @FunctionalInterface
    interface SqlCall<T> {
        T call() throws SQLException;
    }

    private final SqliteConnection connection;
    private final Thread owner;
    private final String role;
    private volatile boolean open = true;

    /** A scope owned by the current thread; {@code role} names it in errors ("writer", "reader"). */
    Scope(SqliteConnection connection, String role) {
        this.connection = connection;
        this.owner = Thread.currentThread();
        this.role = role;
    }

    SqliteConnection connection() {
        return connection;
    }

    /** Marks the call as ended; any later statement fails. */
    void end() {
        open = false;
    }

    /** A Mono that runs {@code call} when subscribed and emits its result (empty for {@code null}). */
    <T> Mono<T> mono(String operation, SqlCall<T> call) {
        return Mono.fromCallable(() -> run(operation, call));
    }

    /** A Flux that runs {@code call} when subscribed and emits the materialised rows. */
    <T> Flux<T> flux(String operation, SqlCall<List<T>> call) {
        return Flux.defer(() -> Flux.fromIterable(run(operation, call)));
    }

    private <T> T run(String operation, SqlCall<T> call) {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new IllegalStateException("sqlite " + operation + " called on thread '" + current.getName()
                    + "' but this " + role + " scope belongs to the " + role + " thread '" + owner.getName()
                    + "': an asynchronous hop inside a store call is not allowed");
        }
        if (!open) {
            throw new IllegalStateException("sqlite " + operation + " called after its " + role
                    + " scope ended");
        }
        try {
            return call.call();
        } catch (SQLException e) {
            throw SqliteErrors.map(e, operation);
        }
    }
}
