package io.flowfabric.postgres;

import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.internal.ClaimGrant;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ClaimedRow;
import io.flowfabric.internal.CompletionGrant;
import io.flowfabric.internal.FeedStore;
import io.flowfabric.internal.LaneKey;
import io.flowfabric.internal.Store;
import io.flowfabric.internal.StoreReads;
import io.flowfabric.internal.StoreTx;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@link Store} over an R2DBC connection factory, normally an r2dbc-pool {@code ConnectionPool}. Each
 * transaction holds one connection from BEGIN until COMMIT or ROLLBACK and always releases it. Driver
 * failures are translated by {@link PgErrors}. Feeds read through the same connections and receive their
 * wake-ups from the one dedicated connection of a {@link PgListener}.
 */
final class PgStore implements Store {
    private final ConnectionFactory connections;
    private final PgFeedStore feeds;
    private final PgListener listener;
    private final Mono<Void> disposal;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean oneStatementPaths;

    /**
     * @param connections where connections come from
     * @param listener the source of feed wake-ups; {@link #close()} stops it
     * @param disposal what {@link #close()} runs once: disposing an owned pool, or nothing when the
     *     application owns the factory
     */
    PgStore(ConnectionFactory connections, PgListener listener, Mono<Void> disposal) {
        this(connections, listener, disposal, true);
    }

    /**
     * As above; {@code oneStatementPaths} false makes the core claim and complete through transactions
     * instead of {@link PgClaim} and {@link PgComplete} (tests compare the two).
     */
    PgStore(ConnectionFactory connections, PgListener listener, Mono<Void> disposal, boolean oneStatementPaths) {
        this.oneStatementPaths = oneStatementPaths;
        this.connections = connections;
        this.listener = listener;
        this.feeds = new PgFeedStore(this, listener);
        this.disposal = listener.close().then(disposal).cache();
    }

    /*
     * One connection per transaction: BEGIN, the work, the writes it left batched, COMMIT when the work
     * completes (with or without a value). When the work or the COMMIT errors, or the caller cancels, the
     * cleanup sends ROLLBACK and only then releases the connection, so a late ROLLBACK can never reach the
     * connection's next borrower. A failed ROLLBACK is attached to the work's error instead of replacing
     * it: the work's error is the one the caller can act on, and the server discards the transaction with
     * the connection anyway.
     */
    @Override
    public <T> Mono<T> inTransaction(Function<StoreTx, Mono<T>> work) {
        return transactional(session -> work.apply(new PgTx(session)));
    }

    /** As {@link #inTransaction}, over the bare session: for statements that are not part of {@link StoreTx}. */
    <T> Mono<T> transactional(Function<PgSession, Mono<T>> work) {
        return Mono.usingWhen(acquire(), connection -> transaction(connection, work),
                PgStore::release,
                (connection, error) -> rollback(connection).onErrorResume(rollbackError -> {
                    error.addSuppressed(rollbackError);
                    return Mono.empty();
                }).then(release(connection)),
                connection -> rollback(connection).onErrorResume(rollbackError -> Mono.empty())
                        .then(release(connection)))
                .onErrorMap(PgErrors::translate);
    }

    /* No BEGIN and no COMMIT: the one statement commits on its own, atomically. */
    @Override
    public <T> Mono<T> singleStatement(Function<StoreTx, Mono<T>> work) {
        return Mono.usingWhen(acquire(), connection -> Mono.defer(() ->
                        work.apply(new PgTx(PgSession.singleStatement(connection)))),
                PgStore::release).onErrorMap(PgErrors::translate);
    }

    /*
     * No BEGIN and no COMMIT: the reads run in autocommit mode without locks, and the batched writes go out
     * as one guarded statement, which the server commits on its own. The row versions in that statement
     * stand in for the row locks a transaction would have held.
     */
    @Override
    public <T> Mono<Optimistic<T>> optimistic(Function<StoreTx, Mono<T>> work) {
        return Mono.usingWhen(acquire(), connection -> {
            PgSession session = PgSession.optimistic(connection);
            return Mono.defer(() -> work.apply(new PgTx(session)))
                    .map(Optional::of)
                    .defaultIfEmpty(Optional.empty())
                    .flatMap(value -> session.flushWrites().map(conflicts -> new Optimistic<>(value.orElse(null),
                            conflicts)));
        }, PgStore::release).onErrorMap(PgErrors::translate);
    }

    @Override
    public boolean claimsGranted() {
        return oneStatementPaths;
    }

    /* No BEGIN and no COMMIT: PgClaim's statement locks, writes and commits on its own. */
    @Override
    public Flux<ClaimedRow> claimGranted(ClaimQuery query, ClaimGrant grant) {
        return reading(session -> PgClaim.claim(session, query, grant));
    }

    @Override
    public boolean completesGranted() {
        return oneStatementPaths;
    }

    /* No BEGIN and no COMMIT: PgComplete's statement checks the fences, writes and commits on its own. */
    @Override
    public Flux<Integer> completeGranted(List<CompleteExecution> requests, CompletionGrant grant) {
        return reading(session -> PgComplete.complete(session, requests, grant));
    }

    @Override
    public <T> Mono<T> read(Function<StoreReads, Mono<T>> work) {
        return Mono.usingWhen(acquire(), connection -> work.apply(new PgReads(new PgSession(connection))),
                PgStore::release).onErrorMap(PgErrors::translate);
    }

    /** Runs {@code work} on one connection outside a transaction (each statement commits on its own). */
    <T> Flux<T> reading(Function<PgSession, Flux<T>> work) {
        return Flux.usingWhen(acquire(), connection -> work.apply(new PgSession(connection)), PgStore::release)
                .onErrorMap(PgErrors::translate);
    }

    /** From the trigger of migration V6, through the LISTEN connection of the feeds. */
    @Override
    public Flux<LaneKey> claimHints() {
        return listener.claimHints();
    }

    @Override
    public FeedStore feeds() {
        return feeds;
    }

    /** Stops the listener and closes its connection, then releases the pool when this store owns it. */
    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            closed.set(true);
            return disposal;
        });
    }

    private Mono<Connection> acquire() {
        return Mono.defer(() -> closed.get()
                ? Mono.error(new UnavailableException("the PostgreSQL engine is closed"))
                : Mono.from(connections.create()));
    }

    private static <T> Mono<T> transaction(Connection connection, Function<PgSession, Mono<T>> work) {
        PgSession session = PgSession.transaction(connection);
        return Mono.from(connection.beginTransaction())
                .then(Mono.defer(() -> work.apply(session)))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(result -> session.flushWrites()
                        .then(Mono.from(connection.commitTransaction()))
                        .then(Mono.justOrEmpty(result)));
    }

    private static Mono<Void> rollback(Connection connection) {
        return Mono.from(connection.rollbackTransaction());
    }

    // Returns a pooled connection to its pool (which also rolls back a transaction still open), or
    // closes a connection of an application-supplied factory.
    private static Mono<Void> release(Connection connection) {
        return Mono.from(connection.close());
    }
}
