package io.flowfabric.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The mutable counters behind {@link WorkerStats}; the in-flight count is also the slot accounting. */
final class StatsCounters {
    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong leasesLost = new AtomicLong();
    private final AtomicLong reportErrors = new AtomicLong();

    void claimed() {
        claimed.incrementAndGet();
        inFlight.incrementAndGet();
    }

    void released() {
        inFlight.decrementAndGet();
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

    WorkerStats snapshot() {
        return new WorkerStats(claimed.get(), completed.get(), failed.get(), inFlight.get(), leasesLost.get(),
                reportErrors.get());
    }
}
