package io.flowfabric.runtime;

import io.flowfabric.api.BatchItem;
import io.flowfabric.api.Completed;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.Leases;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Sends the worker's completions to {@link Leases#completeBatch} in batches, without waiting to fill
 * them: a completion goes out at once when fewer than {@code maxInFlight} batches are in flight, and
 * otherwise joins the completions queued behind them, which leave together as soon as a batch returns. A
 * lone completion therefore costs no extra latency, and under load one transaction (and one commit)
 * carries many completions.
 *
 * <p>Each caller gets its own outcome: the value or error of its {@link BatchItem}, or the error of the
 * whole batch call (after which the caller may retry; completion is idempotent).
 */
final class CompletionBatcher {
    static final int MAX_BATCH = 256;

    private final Leases leases;
    private final int maxInFlight;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    private record Pending(CompleteExecution request, Sinks.One<Completed> outcome) {
    }

    CompletionBatcher(Leases leases, int maxInFlight) {
        this.leases = leases;
        this.maxInFlight = maxInFlight;
    }

    /** Completes through the next batch; subscribing again queues the request again. */
    Mono<Completed> complete(CompleteExecution request) {
        return Mono.defer(() -> {
            Sinks.One<Completed> outcome = Sinks.one();
            queue.offer(new Pending(request, outcome));
            drain();
            return outcome.asMono();
        });
    }

    /** Starts batches while there is queued work and room in flight; serialised by {@code wip}. */
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (inFlight.get() < maxInFlight && !queue.isEmpty()) {
                List<Pending> batch = new ArrayList<>();
                Pending next;
                while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
                    batch.add(next);
                }
                inFlight.incrementAndGet();
                send(batch);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void send(List<Pending> batch) {
        List<CompleteExecution> requests = batch.stream().map(Pending::request).toList();
        Mono.defer(() -> leases.completeBatch(requests).collectList())
                .doFinally(signal -> {
                    inFlight.decrementAndGet();
                    drain();
                })
                .subscribe(items -> deliver(batch, items), error -> batch.forEach(p -> p.outcome().tryEmitError(error)));
    }

    private static void deliver(List<Pending> batch, List<BatchItem<Completed>> items) {
        boolean[] answered = new boolean[batch.size()];
        for (BatchItem<Completed> item : items) {
            answered[item.index()] = true;
            Sinks.One<Completed> outcome = batch.get(item.index()).outcome();
            if (item.succeeded()) {
                outcome.tryEmitValue(item.value());
            } else {
                outcome.tryEmitError(item.error());
            }
        }
        // An answer without an item for some request is a broken engine; fail those callers visibly.
        for (int i = 0; i < answered.length; i++) {
            if (!answered[i]) {
                batch.get(i).outcome().tryEmitError(new IllegalStateException(
                        "completeBatch returned no item for " + batch.get(i).request().executionId()));
            }
        }
    }
}
