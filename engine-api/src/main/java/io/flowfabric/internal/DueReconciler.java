package io.flowfabric.internal;

import io.flowfabric.api.reconcile.ReconcileReport;
import io.flowfabric.api.reconcile.ReconcilerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A reconciler that finds due executions with one query and handles each in its own transaction: lock
 * the row, re-check the condition, act. A row whose transaction fails is counted and left for the next
 * pass; the others still run.
 */
final class DueReconciler extends LoopingReconciler {
    private static final Logger log = LoggerFactory.getLogger(DueReconciler.class);
    private static final int UNCHANGED = 0;
    private static final int ACTED = 1;
    private static final int FAILED = 2;

    private final Store store;
    private final DueKind kind;
    private final LongUnaryOperator cutoff;
    private final TimeTransitions.RowAction action;

    /**
     * @param cutoff maps the pass time to the time the due query and the action compare with (identity,
     *     or "now minus retention")
     */
    DueReconciler(String name, ReconcilerConfig config, Clock clock, Scheduler scheduler, MeterRegistry meters,
            Store store, DueKind kind, LongUnaryOperator cutoff, TimeTransitions.RowAction action) {
        super(name, config, clock, scheduler, meters);
        this.store = store;
        this.kind = kind;
        this.cutoff = cutoff;
        this.action = action;
    }

    @Override
    Mono<ReconcileReport> pass(long nowMs) {
        long at = cutoff.applyAsLong(nowMs);
        ReconcilerConfig c = config();
        DueQuery query = new DueQuery(kind, at,
                c.namespace() == null ? null : c.namespace().value(), c.tagKey(), c.tagValue(), c.batchSize());
        return store.read(r -> r.findDue(query).collectList())
                .flatMap(ids -> Flux.fromIterable(ids)
                        .concatMap(id -> store.inTransaction(tx -> tx.lockExecution(id)
                                        .flatMap(row -> action.apply(tx, row, at))
                                        .defaultIfEmpty(false))
                                .map(changed -> changed ? ACTED : UNCHANGED)
                                .onErrorResume(error -> {
                                    log.warn("reconciler {} could not handle execution {}", name(), id, error);
                                    return Mono.just(FAILED);
                                }))
                        .collectList()
                        .map(results -> report(ids.size(), count(results, ACTED), count(results, FAILED))));
    }

    private static int count(java.util.List<Integer> results, int value) {
        return (int) results.stream().filter(r -> r == value).count();
    }
}
