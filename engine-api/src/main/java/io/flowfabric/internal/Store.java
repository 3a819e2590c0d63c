package io.flowfabric.internal;

import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.ExecutionId;
import java.util.List;
import java.util.Set;
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

    /**
     * Runs {@code work}, which issues exactly one statement, as one atomic statement: a backend may send it
     * without BEGIN and COMMIT (a single statement commits on its own, all or nothing). For a lone write such
     * as a create without an idempotency key. A second statement fails with {@link IllegalStateException}.
     */
    default <T> Mono<T> singleStatement(Function<StoreTx, Mono<T>> work) {
        return inTransaction(work);
    }

    /**
     * Runs {@code work} optimistically: its reads take no locks and its writes are applied together at the
     * end, atomically per execution, and only for executions whose row is still at the version the work
     * read ({@link ExecutionRow#rowVersion}). Every write must concern an execution the work updates with
     * {@code updateExecution}; the work must not read after writing, nor use statements other than execution
     * and attempt updates, attempt inserts and ends, and outbox appends. Emits the work's value with the
     * executions whose guard failed: nothing was written for those (the caller redoes them under
     * {@link #inTransaction}), everything else was committed.
     *
     * <p>A backend without a cheaper path runs {@code work} as one transaction and reports no conflict.
     */
    default <T> Mono<Optimistic<T>> optimistic(Function<StoreTx, Mono<T>> work) {
        return inTransaction(work).map(value -> new Optimistic<>(value, Set.of()))
                .defaultIfEmpty(new Optimistic<>(null, Set.of()));
    }

    /**
     * The outcome of {@link #optimistic}: the work's value ({@code null} when it completed empty) and the
     * executions that were not written.
     */
    record Optimistic<T>(T value, Set<ExecutionId> conflicts) {
    }

    /**
     * Whether the core claims through {@link #claimGranted} (true) or through a transaction over
     * {@link StoreTx#lockClaimable} (false). Either way the core decides what a claim writes (the
     * {@link ClaimGrant}); through {@link #claimGranted} the backend applies it in its own statements,
     * without handing the rows to the core first (PostgreSQL: one statement; SQLite: narrow statements in
     * one transaction). Both paths leave the same rows; tests switch between them to compare.
     */
    boolean claimsGranted();

    /**
     * Claims up to {@code query.limit()} rows that {@link StoreTx#lockClaimable} would return, in one atomic
     * write that applies {@code grant} to each (its Javadoc lists the writes) and commits on its own.
     * Emits the claimed rows in claim order; rows other transactions hold are skipped.
     */
    Flux<ClaimedRow> claimGranted(ClaimQuery query, ClaimGrant grant);

    /**
     * Whether the core completes successful executions through {@link #completeGranted} first (true) or
     * only through its own transactions (false); as for {@link #claimsGranted}, both leave the same rows.
     */
    boolean completesGranted();

    /**
     * Completes, in one atomic write that commits on its own, every request whose fence holds the live
     * lease, applying {@code grant} (its Javadoc lists the checks and writes). Emits the indexes (into
     * {@code requests}) of the requests it completed; the others were not touched and the core judges them
     * itself (stale fence, repeated call, lapsed lease, missing execution). Of two requests for one
     * execution at most one is completed here.
     */
    Flux<Integer> completeGranted(List<CompleteExecution> requests, CompletionGrant grant);

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
