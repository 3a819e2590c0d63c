package io.flowfabric.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mutable counters behind {@link WorkerStats}; the running and in-flight counts are also the slot
 * accounting: a claimed execution is in flight from its claim until its outcome has been reported, and
 * running from the start of its handler until the handler ends.
 */
final class StatsCounters {
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong leasesLost = new AtomicLong();
    private final AtomicLong reportErrors = new AtomicLong();

    void claimed() {
        claimed.incrementAndGet();
        inFlight.incrementAndGet();
    }

    /** The handler of a claimed execution starts. */
    void started() {
        running.incrementAndGet();
    }

    /** The handler of a claimed execution ended (its outcome may still be being reported). */
    void handlerEnded() {
        running.decrementAndGet();
    }

    /** The outcome of a claimed execution was reported (or given up on). */
    void released() {
        inFlight.decrementAndGet();
    }

    int running() {
        return running.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    void completed() {
        completed.incrementAndGet();
    }

    void failed() {
        failed.incrementAndGet();
    }

    void leaseLost() {
        leasesLost.incrementAndGet();
    }

    void reportError() {
        reportErrors.incrementAndGet();
    }

    WorkerStats snapshot(int waiting) {
        return new WorkerStats(claimed.get(), completed.get(), failed.get(), waiting, running.get(), inFlight.get(),
                leasesLost.get(), reportErrors.get());
    }
}
