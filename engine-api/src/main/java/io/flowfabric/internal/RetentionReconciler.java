package io.flowfabric.internal;

import io.flowfabric.api.reconcile.ReconcileReport;
import io.flowfabric.api.reconcile.ReconcilerConfig;
import io.flowfabric.api.state.LifecyclePhase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Deletes terminal executions that ended more than the execution retention ago (with their attempts and
 * idempotency keys), then outbox rows older than the feed retention.
 */
final class RetentionReconciler extends LoopingReconciler {
    private final DueReconciler executions;
    private final FeedStore feeds;
    private final Duration feedRetention;

    RetentionReconciler(ReconcilerConfig config, Clock clock, Scheduler scheduler, MeterRegistry meters, Store store,
            Duration executionRetention, Duration feedRetention) {
        super("retention", config, clock, scheduler, meters);
        this.feeds = store.feeds();
        this.feedRetention = feedRetention;
        this.executions = new DueReconciler("retention", config, clock, scheduler,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), store, DueKind.RETENTION_DUE,
                now -> now - executionRetention.toMillis(), RetentionReconciler::delete);
    }

    private static Mono<Boolean> delete(StoreTx tx, ExecutionRow row, long cutoffMs) {
        if (row.lifecyclePhase != LifecyclePhase.TERMINAL || row.terminalAtMs == null || row.terminalAtMs > cutoffMs) {
            return Mono.just(false);
        }
        return tx.deleteExecution(row.id()).thenReturn(true);
    }

    @Override
    Mono<ReconcileReport> pass(long nowMs) {
        long feedCutoff = nowMs - feedRetention.toMillis();
        return executions.pass(nowMs).flatMap(deleted -> Flux.fromArray(Feed.values())
                .concatMap(feed -> feeds.trim(feed, feedCutoff))
                .reduce(0L, Long::sum)
                .map(trimmed -> report(deleted.examined() + trimmed.intValue(),
                        deleted.actedOn() + trimmed.intValue(), deleted.failed())));
    }
}
