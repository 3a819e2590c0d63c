package io.flowfabric.api;

import java.time.Clock;
import reactor.core.publisher.Mono;

/**
 * An open engine over one backend (PostgreSQL or SQLite). Obtain one from the backend module
 * ({@code PostgresEngine.connect}, {@code SqliteEngine.open}); close it when done.
 */
public interface Engine extends AutoCloseable {

    Executions executions();

    Leases leases();

    /** Subscriptions to the outbox feeds. */
    io.flowfabric.api.feed.Feeds feeds();

    /** Waitpoints, suspension and signals. */
    io.flowfabric.api.signal.Signals signals();

    /** The background reconcilers (lease expiry, delayed promotion, timeouts, retention). */
    io.flowfabric.api.reconcile.Reconcilers reconcilers();

    /** The clock every time decision of this engine uses. */
    Clock clock();

    /** A short name of the backend, {@code "postgres"} or {@code "sqlite"}. */
    String backend();

    /** Releases connections and threads; idempotent. */
    Mono<Void> shutdown();

    /** Blocking variant of {@link #shutdown()} for try-with-resources; never call it on a Reactor thread. */
    @Override
    default void close() {
        shutdown().block();
    }
}
