package io.flowfabric.examples.quickstart;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts lines, words and terms of a text. A word is a run of non-whitespace characters; a term is a
 * run of letters, lower-cased, at least three long and not a stop word.
 */
final class TextStats {
    static final int TOP_TERMS_PER_FILE = 5;
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final Pattern LETTERS = Pattern.compile("\\p{L}+");
    private static final int MIN_TERM_LENGTH = 3;
    private static final Set<String> STOP_WORDS = Set.of(
            "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "was", "one", "our", "out",
            "has", "its", "may", "who", "did", "get", "him", "her", "his", "she", "too", "use", "that", "this",
            "with", "from", "they", "have", "will", "your", "what", "when", "which", "there", "their", "been",
            "were", "into", "than", "then", "them", "these", "those", "some", "such", "only", "also", "each",
            "more", "other", "over", "would", "should", "could", "about", "after", "before", "where", "while");

    private TextStats() {
    }

    static FileStats analyze(String relativePath, String text) {
        return new FileStats(relativePath, text.lines().count(), count(WORD.matcher(text)),
                TermCount.top(terms(text), TOP_TERMS_PER_FILE));
    }

    static Map<String, Long> terms(String text) {
        Map<String, Long> counts = new HashMap<>();
        Matcher matcher = LETTERS.matcher(text.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            String term = matcher.group();
            if (term.length() >= MIN_TERM_LENGTH && !STOP_WORDS.contains(term)) {
                counts.merge(term, 1L, Long::sum);
            }
        }
        return counts;
    }

    private static long count(Matcher matcher) {
        long n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }
}
