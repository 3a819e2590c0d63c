package io.flowfabric.examples.quickstart;

import io.flowfabric.api.state.PublicState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one quickstart run did.
 *
 * @param backend the engine's backend name
 * @param states how many of the run's executions (files and report) ended in each public state
 * @param attempts attempts over all those executions
 * @param retries retries over all those executions
 * @param elapsed from the start of the run until the report execution finished
 * @param totals the result of the report execution
 */
public record QuickstartReport(String backend, Map<PublicState, Integer> states, int attempts, int retries,
        Duration elapsed, FileTotals totals) {

    public QuickstartReport {
        Map<PublicState, Integer> copy = new EnumMap<>(PublicState.class);
        copy.putAll(states);
        states = Collections.unmodifiableMap(copy);
    }

    /** Executions of the run: one per file plus the report. */
    public int executions() {
        return states.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int count(PublicState state) {
        return states.getOrDefault(state, 0);
    }

    /** Executions per second of elapsed time. */
    public double throughput() {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        return executions() / seconds;
    }

    /**
     * The summary, one {@code name: value} line each, in a fixed order: backend, executions, completed,
     * failed, any other state that occurred, attempts, retries, elapsed, throughput, files, lines, words,
     * top terms.
     */
    public List<String> summaryLines() {
        List<String> lines = new ArrayList<>();
        lines.add("backend: " + backend);
        lines.add("executions: " + executions());
        lines.add("completed: " + count(PublicState.COMPLETED));
        lines.add("failed: " + count(PublicState.FAILED));
        states.forEach((state, n) -> {
            if (state != PublicState.COMPLETED && state != PublicState.FAILED && n > 0) {
                lines.add(state.literal() + ": " + n);
            }
        });
        lines.add("attempts: " + attempts);
        lines.add("retries: " + retries);
        lines.add(String.format(Locale.ROOT, "elapsed: %.3f s", elapsed.toMillis() / 1000.0));
        lines.add(String.format(Locale.ROOT, "throughput: %.1f executions/s", throughput()));
        lines.add("files: " + totals.files());
        lines.add("lines: " + totals.lines());
        lines.add("words: " + totals.words());
        lines.add("top terms: " + totals.topTerms().stream().map(TermCount::toString).collect(Collectors.joining(", ")));
        return lines;
    }
}
