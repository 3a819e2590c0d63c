package io.flowfabric.internal;

import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a backend provides to the core engine: transactions over the schema in {@code sql/}. A backend
 * implements only persistence; every decision about states, fences and retries is made by the core
 * engine, so both backends behave the same by construction.
 */
public interface Store {

    /**
     * Runs {@code work} in one read-write transaction and commits when the returned {@code Mono}
     * completes, or rolls back when it errors or is cancelled. Driver errors are mapped to
     * {@link io.flowfabric.api.error.EngineException} subclasses (serialization failures and deadlocks to
     * {@code TransientException}).
     */
    <T> Mono<T> inTransaction(Function<StoreTx, Mono<T>> work);

    /** Runs read-only {@code work}; it may use a separate connection and see the last committed state. */
    <T> Mono<T> read(Function<StoreReads, Mono<T>> work);

    /** The outbox reads and wake-ups. */
    FeedStore feeds();

    /**
     * Claim hints: a hot stream with a {@link LaneKey} after a committed transaction left an execution
     * claimable (created or resumed runnable, lease lapsed or revoked). Hints are best effort: they may be
     * late, repeated or lost, and workers keep polling. The stream may error when the backend's
     * notification channel fails for good; subscribers resubscribe. Backends without hints never emit.
     */
    default Flux<LaneKey> claimHints() {
        return Flux.never();
    }

    /** Releases connections and threads. Idempotent. */
    Mono<Void> close();
}
