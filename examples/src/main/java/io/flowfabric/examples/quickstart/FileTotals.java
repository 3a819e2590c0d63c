package io.flowfabric.examples.quickstart;

import java.util.List;

/**
 * The result of the {@code report} execution.
 *
 * @param files file executions that completed with a result
 * @param lines total lines over those files
 * @param words total words over those files
 * @param topTerms the ten most frequent terms over the files' top-five lists
 */
public record FileTotals(int files, long lines, long words, List<TermCount> topTerms) {
    public FileTotals {
        topTerms = List.copyOf(topTerms);
    }
}
