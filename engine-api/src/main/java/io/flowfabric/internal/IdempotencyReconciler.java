package io.flowfabric.internal;

import io.flowfabric.api.reconcile.ReconcileReport;
import io.flowfabric.api.reconcile.ReconcilerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** Deletes idempotency keys whose dedup window has passed, a batch per pass. */
final class IdempotencyReconciler extends LoopingReconciler {
    private final Store store;

    IdempotencyReconciler(ReconcilerConfig config, Clock clock, Scheduler scheduler, MeterRegistry meters,
            Store store) {
        super("idempotency_expiry", config, clock, scheduler, meters);
        this.store = store;
    }

    @Override
    Mono<ReconcileReport> pass(long nowMs) {
        return store.inTransaction(tx -> tx.deleteExpiredIdempotencyKeys(nowMs, config().batchSize()))
                .map(deleted -> report(deleted.intValue(), deleted.intValue(), 0));
    }
}
