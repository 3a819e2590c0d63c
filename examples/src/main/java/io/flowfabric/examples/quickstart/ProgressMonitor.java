package io.flowfabric.examples.quickstart;

import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.ExecutionSnapshot;
import io.flowfabric.api.ExecutionSummary;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.ListExecutions;
import io.flowfabric.api.Page;
import io.flowfabric.api.state.PublicState;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Watches the executions of one lane by polling {@code executions().list}, and prints a progress line
 * when work finished and a second passed (or a tenth of the total finished) since the previous line.
 */
final class ProgressMonitor {
    private final Engine engine;
    private final LaneId lane;
    private final QuickstartSettings settings;
    private final IntSupplier retries;
    private final Instant started;
    private Instant lastLineAt;
    private int lastLineDone;

    ProgressMonitor(Engine engine, LaneId lane, QuickstartSettings settings, IntSupplier retries) {
        this.engine = engine;
        this.lane = lane;
        this.settings = settings;
        this.retries = retries;
        this.started = engine.clock().instant();
        this.lastLineAt = started;
    }

    /** Completes once {@code total} executions of the lane are terminal, printing progress meanwhile. */
    Mono<Void> awaitTerminal(int total) {
        return Flux.interval(Duration.ZERO, settings.pollInterval())
                .onBackpressureDrop()
                .concatMap(tick -> countByState())
                .doOnNext(counts -> report(counts, total))
                .filter(counts -> terminal(counts) >= total)
                .next()
                .then();
    }

    /** Completes with the execution's snapshot once it is terminal. */
    Mono<ExecutionSnapshot> awaitTerminal(ExecutionId id) {
        return Flux.interval(Duration.ZERO, settings.pollInterval())
                .onBackpressureDrop()
                .concatMap(tick -> engine.executions().describe(id))
                .filter(snapshot -> snapshot.publicState().isTerminal())
                .next();
    }

    private Mono<Map<PublicState, Integer>> countByState() {
        ListExecutions first = ListExecutions.all().withLane(lane).withLimit(ListExecutions.MAX_LIMIT);
        return engine.executions().list(first)
                .expand(page -> page.nextCursor() == null ? Mono.empty()
                        : engine.executions().list(first.withCursor(page.nextCursor())))
                .flatMapIterable(Page::items)
                .collect(() -> new EnumMap<>(PublicState.class),
                        (Map<PublicState, Integer> counts, ExecutionSummary s) -> counts.merge(s.publicState(), 1, Integer::sum));
    }

    private void report(Map<PublicState, Integer> counts, int total) {
        int done = terminal(counts);
        Instant now = engine.clock().instant();
        boolean due = Duration.between(lastLineAt, now).compareTo(settings.progressInterval()) >= 0
                || done - lastLineDone >= Math.max(1, total / 10)
                || done == total;
        if (done > lastLineDone && due) {
            lastLineAt = now;
            lastLineDone = done;
            settings.progress().accept(String.format(Locale.ROOT, "progress: %d/%d done, %d failed, %d retries, %.1f s",
                    done, total, counts.getOrDefault(PublicState.FAILED, 0), retries.getAsInt(),
                    Duration.between(started, now).toMillis() / 1000.0));
        }
    }

    private static int terminal(Map<PublicState, Integer> counts) {
        return counts.entrySet().stream().filter(e -> e.getKey().isTerminal()).mapToInt(Map.Entry::getValue).sum();
    }
}
