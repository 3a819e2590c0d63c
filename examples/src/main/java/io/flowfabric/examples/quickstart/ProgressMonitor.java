package io.flowfabric.examples.quickstart;

import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.ExecutionSnapshot;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.feed.CompletionEvent;
import io.flowfabric.api.feed.FeedName;
import io.flowfabric.api.feed.FeedRequest;
import io.flowfabric.api.state.TerminalOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.IntSupplier;
import reactor.core.publisher.Mono;

/**
 * Follows one run on the completion feed: every execution of the run carries the tag {@value #TAG} = its
 * lane, and the monitor counts the completion events with that tag, printing a progress line when a
 * second passed (or a tenth of the total finished) since the previous line.
 */
final class ProgressMonitor {
    /** The tag that marks the executions of one quickstart run. */
    static final String TAG = "quickstart.run";

    private final Engine engine;
    private final LaneId lane;
    private final QuickstartSettings settings;
    private final IntSupplier retries;
    private final Instant started;
    private Instant lastLineAt;
    private int total;
    private int done;
    private int failed;
    private int lastLineDone;

    ProgressMonitor(Engine engine, LaneId lane, QuickstartSettings settings, IntSupplier retries) {
        this.engine = engine;
        this.lane = lane;
        this.settings = settings;
        this.retries = retries;
        this.started = engine.clock().instant();
        this.lastLineAt = started;
    }

    /** The feed position to follow from; take it before the run's executions are created. */
    Mono<String> position() {
        return engine.feeds().headCursor(FeedName.COMPLETIONS);
    }

    /** Completes once {@code total} executions of the run have completed after {@code position}. */
    Mono<Void> awaitCompletions(String position, int total) {
        this.total = total;
        if (total == 0) {
            return Mono.empty();
        }
        return engine.feeds().completions(FeedRequest.after(position).withTag(TAG, lane.value()))
                .doOnNext(this::count)
                .take(total)
                .then();
    }

    /** Completes with the execution's snapshot once it is terminal. */
    Mono<ExecutionSnapshot> awaitTerminal(ExecutionId id) {
        return engine.feeds().awaitCompletion(id).then(engine.executions().describe(id));
    }

    private void count(CompletionEvent event) {
        done++;
        if (event.outcome() != TerminalOutcome.SUCCESS) {
            failed++;
        }
        Instant now = engine.clock().instant();
        boolean due = Duration.between(lastLineAt, now).compareTo(settings.progressInterval()) >= 0
                || done - lastLineDone >= Math.max(1, total / 10);
        if (due) {
            printLine(now);
        }
    }

    /** Prints the final progress line if the last one did not already show every completion. */
    void finish() {
        if (lastLineDone < done || done == 0) {
            printLine(engine.clock().instant());
        }
    }

    private void printLine(Instant now) {
        lastLineAt = now;
        lastLineDone = done;
        settings.progress().accept(String.format(Locale.ROOT, "progress: %d/%d done, %d failed, %d retries, %.1f s",
                done, total, failed, retries.getAsInt(), Duration.between(started, now).toMillis() / 1000.0));
    }
}
