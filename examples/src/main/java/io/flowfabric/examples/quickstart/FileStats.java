package io.flowfabric.examples.quickstart;

import java.util.List;

/** The result of a {@code file-stats} execution: counts for one file and its five most frequent terms. */
record FileStats(String path, long lines, long words, List<TermCount> topTerms) {
}
