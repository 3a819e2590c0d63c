package io.flowfabric.postgres;

import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.WorkerInstanceId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/** Helpers for the feed tests: producing completions through the engine and collecting what a feed delivers. */
final class FeedTestSupport {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private FeedTestSupport() {
    }

    static LaneId uniqueLane() {
        return LaneId.of("lane-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Creates, claims and completes one execution in {@code lane}; emits its id once the completion committed. */
    static Mono<ExecutionId> completeOne(Engine engine, LaneId lane) {
        ClaimRequest claim = ClaimRequest.of(lane, WorkerId.of("worker"), WorkerInstanceId.of("instance"));
        return engine.executions().create(CreateExecution.of("feed-test", lane, Payload.EMPTY))
                .then(engine.leases().claim(claim))
                .flatMap(claimed -> engine.leases().complete(CompleteExecution.of(claimed, Payload.EMPTY))
                        .thenReturn(claimed))
                .map(ClaimedExecution::executionId);
    }

    /** A thread-safe list a subscriber appends to, with a bounded wait for its size. */
    static final class Received<T> implements Consumer<T> {
        private final List<T> items = new ArrayList<>();

        @Override
        public synchronized void accept(T item) {
            items.add(item);
            notifyAll();
        }

        synchronized List<T> snapshot() {
            return List.copyOf(items);
        }

        synchronized int size() {
            return items.size();
        }

        /** Waits (blocking the test thread only) until at least {@code count} items arrived; false on timeout. */
        synchronized boolean awaitSize(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (items.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }
}
