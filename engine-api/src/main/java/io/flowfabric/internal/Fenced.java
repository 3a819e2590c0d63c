package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LeaseFence;
import java.time.Clock;
import java.util.function.BiFunction;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The frame of every lease-bound operation: lock the execution, check the fence with {@link FenceCheck},
 * then run {@code action} when the fence holds the live lease, or {@code replay} when it names the lease an
 * earlier call released.
 */
final class Fenced {
    private Fenced() {
    }

    static <T> Mono<T> run(Store store, Clock clock, ExecutionId id, LeaseFence fence,
            BiFunction<StoreTx, ExecutionRow, Mono<T>> action, Function<ExecutionRow, Mono<T>> replay) {
        return Mono.defer(() -> store.inTransaction(tx -> tx.lockExecution(id)
                .switchIfEmpty(ExecutionOps.notFound(id))
                .flatMap(row -> switch (FenceCheck.check(row, fence, clock.millis())) {
                    case HOLDS_LEASE -> action.apply(tx, row);
                    case RELEASED -> replay.apply(row);
                })));
    }
}
