package io.flowfabric.runtime;

import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.ExecutionSnapshot;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;

/** Polling helpers for tests: they block the test thread only, never a Reactor thread. */
final class Awaiting {
    static final Duration POLL = Duration.ofMillis(20);

    private Awaiting() {
    }

    /** Polls {@code describe} until the snapshot matches, or fails after {@code timeout}. */
    static ExecutionSnapshot snapshot(Engine engine, ExecutionId id, Predicate<ExecutionSnapshot> condition,
            Duration timeout, String what) {
        AtomicReference<ExecutionSnapshot> last = new AtomicReference<>();
        ExecutionSnapshot found = Mono.defer(() -> engine.executions().describe(id))
                .doOnNext(last::set)
                .filter(condition)
                .repeatWhenEmpty(Integer.MAX_VALUE, ticks -> ticks.concatMap(tick -> Mono.delay(POLL)))
                .timeout(timeout, Mono.error(() -> new AssertionError("timed out after " + timeout
                        + " waiting for " + id + " to be " + what + "; last seen: " + last.get())))
                .block();
        if (found == null) {
            throw new AssertionError("no snapshot of " + id);
        }
        return found;
    }

    /** Polls {@code describe} until the execution is terminal. */
    static ExecutionSnapshot terminal(Engine engine, ExecutionId id, Duration timeout) {
        return snapshot(engine, id, s -> s.publicState().isTerminal(), timeout, "terminal");
    }

    /** Polls {@code condition} until it holds, or fails after {@code timeout}. */
    static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            Mono.delay(POLL).block();
        }
    }
}
