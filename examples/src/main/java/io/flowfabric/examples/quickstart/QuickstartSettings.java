package io.flowfabric.examples.quickstart;

import io.flowfabric.api.LaneId;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How {@link QuickstartJob} runs.
 *
 * @param maxFiles the most files analysed (the first ones in path order)
 * @param concurrency how many executions the worker runs at once
 * @param lane the lane to use, or {@code null} for a fresh one per run (so a database shared between
 *     runs never mixes them)
 * @param progressInterval the least time between two progress lines (a line is also printed every tenth
 *     of the files)
 * @param timeout the longest the whole run may take
 * @param progress receives the progress lines
 */
public record QuickstartSettings(int maxFiles, int concurrency, LaneId lane,
        Duration progressInterval, Duration timeout, Consumer<String> progress) {

    public QuickstartSettings {
        if (maxFiles < 0) {
            throw new IllegalArgumentException("max files must not be negative: " + maxFiles);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be positive: " + concurrency);
        }
        Objects.requireNonNull(progressInterval, "progress interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(progress, "progress");
    }

    /** 500 files, concurrency 8, a fresh lane, progress every second to {@code progress}, 10 minutes at most. */
    public static QuickstartSettings defaults(Consumer<String> progress) {
        return new QuickstartSettings(500, 8, null, Duration.ofSeconds(1),
                Duration.ofMinutes(10), progress);
    }

    public QuickstartSettings withMaxFiles(int value) {
        return new QuickstartSettings(value, concurrency, lane, progressInterval, timeout, progress);
    }

    public QuickstartSettings withConcurrency(int value) {
        return new QuickstartSettings(maxFiles, value, lane, progressInterval, timeout, progress);
    }

    public QuickstartSettings withLane(LaneId value) {
        return new QuickstartSettings(maxFiles, concurrency, value, progressInterval, timeout, progress);
    }

    public QuickstartSettings withTimeout(Duration value) {
        return new QuickstartSettings(maxFiles, concurrency, lane, progressInterval, value, progress);
    }
}
