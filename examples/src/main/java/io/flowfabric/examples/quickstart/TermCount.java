package io.flowfabric.examples.quickstart;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** How often a term occurs. */
public record TermCount(String term, long count) {

    /** Most frequent first; equal counts in alphabetical order, so the order is deterministic. */
    static final Comparator<TermCount> BY_FREQUENCY = Comparator.comparingLong(TermCount::count).reversed()
            .thenComparing(TermCount::term);

    /** The {@code limit} most frequent entries of {@code counts}, ordered by {@link #BY_FREQUENCY}. */
    static List<TermCount> top(Map<String, Long> counts, int limit) {
        return counts.entrySet().stream()
                .map(entry -> new TermCount(entry.getKey(), entry.getValue()))
                .sorted(BY_FREQUENCY)
                .limit(limit)
                .toList();
    }

    @Override
    public String toString() {
        return term + "=" + count;
    }
}
