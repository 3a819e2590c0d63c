package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Validation and matching of capability tokens. A token is non-empty, has no comma, space, ASCII control
 * character or DEL (UTF-8 above 0x7F is allowed); a set has at most {@value #MAX_TOKENS} tokens and its
 * sorted comma-separated form is at most {@value #MAX_CSV_BYTES} bytes. An execution may be claimed by a
 * worker only when its required set is a subset of the worker's set (case-sensitive).
 */
public final class Capabilities {
    public static final int MAX_TOKENS = 256;
    public static final int MAX_CSV_BYTES = 4096;

    private Capabilities() {
    }

    /** Validates and returns an immutable sorted copy. */
    public static SortedSet<String> copyOf(Set<String> tokens) {
        if (tokens == null || tokens.isEmpty()) {
            return Collections.emptySortedSet();
        }
        if (tokens.size() > MAX_TOKENS) {
            throw invalid("at most " + MAX_TOKENS + " capability tokens, got " + tokens.size());
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String token : tokens) {
            requireToken(token);
            sorted.add(token);
        }
        int csvBytes = String.join(",", sorted).getBytes(StandardCharsets.UTF_8).length;
        if (csvBytes > MAX_CSV_BYTES) {
            throw invalid("capability list is " + csvBytes + " bytes; the limit is " + MAX_CSV_BYTES);
        }
        return Collections.unmodifiableSortedSet(sorted);
    }

    /** Whether a worker offering {@code offered} may run an execution requiring {@code required}. */
    public static boolean satisfies(Set<String> offered, Set<String> required) {
        return offered.containsAll(required);
    }

    private static void requireToken(String token) {
        if (token == null || token.isEmpty()) {
            throw invalid("capability token must not be empty");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == ',' || c <= 0x20 || c == 0x7F) {
                throw invalid("capability token has a comma, space or control character: " + Names.quote(token));
            }
        }
    }

    private static ValidationException invalid(String detail) {
        return new ValidationException(ValidationException.Kind.INVALID_CAPABILITIES, detail);
    }
}
