package io.flowfabric.internal;

import io.flowfabric.api.reconcile.ReconcileReport;
import io.flowfabric.api.reconcile.Reconciler;
import io.flowfabric.api.reconcile.ReconcilerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The shape every reconciler shares: a {@link #runOnce()} pass that tests call directly, and a loop that
 * runs passes on an interval with a random first delay (so engines started together do not tick
 * together). A tick that is still running when the next is due makes the next one be dropped; a failed
 * pass is logged and counted and the loop goes on.
 */
abstract class LoopingReconciler implements Reconciler {
    private static final Logger log = LoggerFactory.getLogger(LoopingReconciler.class);

    private final String name;
    private final ReconcilerConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Counter examined;
    private final Counter acted;
    private final Counter failedTicks;
    private Disposable loop;

    LoopingReconciler(String name, ReconcilerConfig config, Clock clock, Scheduler scheduler, MeterRegistry meters) {
        this.name = name;
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.examined = meters.counter("flowfabric.reconciler.examined", "reconciler", name);
        this.acted = meters.counter("flowfabric.reconciler.acted", "reconciler", name);
        this.failedTicks = meters.counter("flowfabric.reconciler.failed_ticks", "reconciler", name);
    }

    /** One pass at {@code nowMs}. */
    abstract Mono<ReconcileReport> pass(long nowMs);

    @Override
    public String name() {
        return name;
    }

    @Override
    public ReconcilerConfig config() {
        return config;
    }

    @Override
    public Mono<ReconcileReport> runOnce() {
        return Mono.defer(() -> pass(clock.millis())).doOnNext(report -> {
            examined.increment(report.examined());
            acted.increment(report.actedOn());
        });
    }

    synchronized void start() {
        if (loop != null && !loop.isDisposed()) {
            return;
        }
        Duration first = Duration.ofMillis(ThreadLocalRandom.current().nextLong(config.interval().toMillis() + 1));
        loop = Flux.interval(first, config.interval(), scheduler)
                .onBackpressureDrop()
                .concatMap(tick -> runOnce().onErrorResume(error -> {
                    failedTicks.increment();
                    log.warn("reconciler {} failed a pass; the next runs in {}", name, config.interval(), error);
                    return Mono.empty();
                }))
                .subscribe(report -> {
                    if (report.actedOn() > 0 || report.failed() > 0) {
                        log.debug("{}", report);
                    }
                });
    }

    synchronized void stop() {
        if (loop != null) {
            loop.dispose();
        }
    }

    ReconcileReport report(int examinedRows, int actedOn, int failed) {
        return new ReconcileReport(name, examinedRows, actedOn, failed);
    }
}
