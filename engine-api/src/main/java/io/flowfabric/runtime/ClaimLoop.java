package io.flowfabric.runtime;

import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.Leases;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Demand-driven claiming. At most one claim round runs at a time and it asks for the free slots plus the
 * prefetch not yet filled ({@code claimBatch(request, concurrency + prefetch - running - waiting)}), so the
 * worker never holds more claims than it can run or keep waiting. A slot is a running handler: it frees
 * when the handler ends, while the outcome is still being reported, so reporting (a round trip, batched
 * with other completions) overlaps the next execution. A waiting (prefetched) execution starts the moment
 * a slot frees, without waiting for a claim round trip; its lease is renewed from its claim on. Outcomes
 * being reported are bounded too: executions in flight (waiting, running or reporting) never exceed twice
 * the concurrency plus the prefetch. A round is started when claiming is wanted: at start, when a slot
 * frees (work was found, so more may wait), after a round that filled every slot it asked for, when a
 * claim hint for the lane arrives ({@link Leases#claimHints}), and when the idle timer fires. A round that
 * finds fewer executions than it asked for arms the idle timer with the poll interval; consecutive empty rounds
 * double it up to the maximum.
 *
 * <p>All decisions are taken in {@link #drain()}, which runs on whichever thread signals and is
 * serialised by a work-in-progress counter, so nothing blocks and no lock is held.
 */
final class ClaimLoop {
    private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);
    private static final int MAX_BATCH = 1000;
    /** How often polling alone looks for lapsed leases to reclaim; a claim hint also triggers a look. */
    private static final Duration RECLAIM_PERIOD = Duration.ofSeconds(1);

    private final Leases leases;
    private final WorkerOptions options;
    private final AttemptRunner runner;
    private final StatsCounters counters;
    private final AtomicInteger wip = new AtomicInteger();
    private final Set<Sinks.One<Outcome>> interrupts = ConcurrentHashMap.newKeySet();
    /** Claimed executions waiting for a slot, in claim order. */
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final Sinks.Empty<Void> drained = Sinks.empty();
    private final Disposable.Swap idleTimer = Disposables.swap();
    private final Disposable.Swap hints = Disposables.swap();
    private volatile Disposable round = Disposables.disposed();
    private volatile Duration idleDelay;
    private volatile boolean claimWanted;
    private volatile boolean reclaimWanted = true;
    private volatile long lastReclaimMillis;
    private volatile boolean roundActive;
    private volatile boolean stopping;
    private volatile Outcome forcedOutcome;

    ClaimLoop(Leases leases, WorkerOptions options, AttemptRunner runner, StatsCounters counters) {
        this.leases = leases;
        this.options = options;
        this.runner = runner;
        this.counters = counters;
        this.idleDelay = options.pollInterval();
    }

    void start() {
        hints.update(leases.claimHints(options.claimRequest())
                .onBackpressureLatest()
                .subscribe(hint -> hinted(), error -> log.warn("claim hints of lane {} ended; polling only",
                        options.claimRequest().lane(), error)));
        claimWanted = true;
        drain();
    }

    /** Executions may be waiting: claim now rather than at the next poll, and poll at the base rate again. */
    private void hinted() {
        idleDelay = options.pollInterval();
        reclaimWanted = true;
        claimWanted = true;
        drain();
    }

    /** Stops claiming; {@link #drained()} completes once the current round and every attempt have ended. */
    void stop() {
        stopping = true;
        hints.dispose();
        idleTimer.dispose();
        drain();
    }

    /**
     * Ends every running attempt with {@code outcome} (its handler is cancelled and the outcome reported)
     * and cancels a claim round still in progress. Attempts claimed afterwards get the same outcome.
     */
    void interruptAll(Outcome outcome) {
        forcedOutcome = outcome;
        interrupts.forEach(interrupt -> interrupt.tryEmitValue(outcome));
        if (roundActive) {
            round.dispose();
            roundActive = false;
        }
        drain();
    }

    /** Whether a claim round is waiting for the engine. */
    boolean claiming() {
        return roundActive;
    }

    Mono<Void> drained() {
        return drained.asMono();
    }

    /** How many claimed executions wait for a slot. */
    int waiting() {
        return waiting.size();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            step();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void step() {
        // Waiting executions take free slots first; after an interrupt they all start, to end at once.
        while (counters.running() < options.concurrency() || forcedOutcome != null) {
            Waiting next = waiting.poll();
            if (next == null) {
                break;
            }
            launch(next);
        }
        if (roundActive) {
            return;
        }
        if (stopping) {
            if (counters.inFlight() == 0) {
                drained.tryEmitEmpty();
            }
            return;
        }
        int free = Math.min(options.concurrency() + options.prefetch() - counters.running() - waiting.size(),
                2 * options.concurrency() + options.prefetch() - counters.inFlight());
        if (!claimWanted || free <= 0) {
            return;
        }
        claimWanted = false;
        roundActive = true;
        idleTimer.update(Disposables.disposed());
        int max = Math.min(free, MAX_BATCH);
        round = claims(max)
                .doOnNext(this::accept)
                .count()
                .subscribe(found -> roundEnded(found.intValue(), max), this::roundFailed);
    }

    /**
     * Claims up to {@code max} executions; when fewer are waiting and a reclaim is due (at start, after a
     * claim hint, and at most once per {@link #RECLAIM_PERIOD} of polling), the remaining slots take over
     * executions whose lease lapsed.
     */
    private Flux<ClaimedExecution> claims(int max) {
        long now = options.scheduler().now(TimeUnit.MILLISECONDS);
        if (now - lastReclaimMillis >= Math.max(RECLAIM_PERIOD.toMillis(), options.pollInterval().toMillis())) {
            reclaimWanted = true;
        }
        if (!options.reclaimExpired() || !reclaimWanted) {
            return leases.claimBatch(options.claimRequest(), max);
        }
        reclaimWanted = false;
        lastReclaimMillis = now;
        return leases.claimBatch(options.claimRequest(), max).collectList().flatMapMany(claimed -> {
            int left = max - claimed.size();
            Flux<ClaimedExecution> fresh = Flux.fromIterable(claimed);
            return left == 0 ? fresh : fresh.concatWith(leases.reclaimBatch(options.claimRequest(), left));
        });
    }

    /** A claimed execution and the renewals of its lease, waiting for a slot. */
    private record Waiting(ClaimedExecution claimed, AttemptRunner.KeptLease lease) {
    }

    /** Takes a claimed execution: its lease is kept from now on, and it starts as soon as a slot is free. */
    private void accept(ClaimedExecution claimed) {
        counters.claimed();
        waiting.add(new Waiting(claimed, runner.keep(claimed)));
        drain();
    }

    private void launch(Waiting next) {
        ClaimedExecution claimed = next.claimed();
        counters.started();
        Sinks.One<Outcome> interrupt = Sinks.one();
        interrupts.add(interrupt);
        Outcome forced = forcedOutcome;
        if (forced != null) {
            interrupt.tryEmitValue(forced);
        }
        runner.run(claimed, next.lease(), interrupt.asMono(), () -> {
                    counters.handlerEnded();
                    claimWanted = true;
                    drain();
                })
                .doFinally(signal -> {
                    interrupts.remove(interrupt);
                    counters.released();
                    claimWanted = true;
                    drain();
                })
                .subscribe(null, error -> log.error("attempt of {} ended with an error", claimed.executionId(), error));
    }

    private void roundEnded(int found, int asked) {
        if (found >= asked) {
            idleDelay = options.pollInterval();
            claimWanted = true;
        } else if (found > 0) {
            idleDelay = options.pollInterval();
            armIdleTimer(idleDelay);
        } else {
            armIdleTimer(idleDelay);
            Duration doubled = idleDelay.multipliedBy(2);
            idleDelay = doubled.compareTo(options.maxPollInterval()) > 0 ? options.maxPollInterval() : doubled;
        }
        roundActive = false;
        drain();
    }

    private void roundFailed(Throwable error) {
        log.warn("claiming from lane {} failed; trying again in {}", options.claimRequest().lane(), idleDelay, error);
        armIdleTimer(idleDelay);
        Duration doubled = idleDelay.multipliedBy(2);
        idleDelay = doubled.compareTo(options.maxPollInterval()) > 0 ? options.maxPollInterval() : doubled;
        roundActive = false;
        drain();
    }

    private void armIdleTimer(Duration delay) {
        idleTimer.update(Mono.delay(delay, options.scheduler()).subscribe(tick -> {
            claimWanted = true;
            drain();
        }));
    }
}
