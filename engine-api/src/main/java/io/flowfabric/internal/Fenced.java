package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LeaseFence;
import java.time.Clock;
import java.util.function.BiFunction;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The frame of every lease-bound operation: read the execution, check the fence with {@link FenceCheck},
 * then run {@code action} when the fence holds the live lease, or {@code replay} when it names the lease an
 * earlier call released.
 */
final class Fenced {
    private Fenced() {
    }

    /** Under a row lock, in one transaction. */
    static <T> Mono<T> run(Store store, Clock clock, ExecutionId id, LeaseFence fence,
            BiFunction<StoreTx, ExecutionRow, Mono<T>> action, Function<ExecutionRow, Mono<T>> replay) {
        return Mono.defer(() -> store.inTransaction(work(clock, id, fence, action, replay)));
    }

    /**
     * Optimistically first ({@link Store#optimistic}: no lock, one atomic write guarded by the row version),
     * and again under a row lock when the row changed in between. For actions that only update the
     * execution and its current attempt and append outbox rows.
     */
    static <T> Mono<T> optimistic(Store store, Clock clock, ExecutionId id, LeaseFence fence,
            BiFunction<StoreTx, ExecutionRow, Mono<T>> action, Function<ExecutionRow, Mono<T>> replay) {
        Function<StoreTx, Mono<T>> work = work(clock, id, fence, action, replay);
        return Mono.defer(() -> store.optimistic(work)
                .flatMap(tried -> tried.conflicts().isEmpty() ? Mono.justOrEmpty(tried.value())
                        : store.inTransaction(work)));
    }

    private static <T> Function<StoreTx, Mono<T>> work(Clock clock, ExecutionId id, LeaseFence fence,
            BiFunction<StoreTx, ExecutionRow, Mono<T>> action, Function<ExecutionRow, Mono<T>> replay) {
        return tx -> tx.lockExecution(id)
                .switchIfEmpty(ExecutionOps.notFound(id))
                .flatMap(row -> switch (FenceCheck.check(row, fence, clock.millis())) {
                    case HOLDS_LEASE -> action.apply(tx, row);
                    case RELEASED -> replay.apply(row);
                });
    }
}
