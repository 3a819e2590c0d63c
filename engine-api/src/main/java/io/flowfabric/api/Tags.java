package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validation for execution tags. Keys are caller-namespaced: they match
 * {@code ^[a-z][a-z0-9_]*\.[a-z0-9_][a-z0-9_.]*$} (for example {@code cairn.session_id}) and are at
 * most 128 characters; values are any UTF-8 up to 1024 characters; at most 64 tags.
 */
public final class Tags {
    public static final int MAX_TAGS = 64;
    private static final Pattern KEY = Pattern.compile("^[a-z][a-z0-9_]*\\.[a-z0-9_][a-z0-9_.]*$");

    private Tags() {
    }

    /** Validates a tag key. */
    public static String requireKey(String key) {
        if (key == null || key.length() > 128 || !KEY.matcher(key).matches()) {
            throw new ValidationException(ValidationException.Kind.INVALID_TAG_KEY,
                    "tag key must match " + KEY.pattern() + ": " + Names.quote(key));
        }
        return key;
    }

    /** Validates and copies a tag map into an immutable, key-sorted map. */
    public static Map<String, String> copyOf(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return Map.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw new ValidationException(ValidationException.Kind.INVALID_TAG_KEY,
                    "at most " + MAX_TAGS + " tags, got " + tags.size());
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        tags.forEach((k, v) -> {
            requireKey(k);
            if (v == null || v.length() > 1024) {
                throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                        "tag value for " + k + " must be non-null and at most 1024 characters");
            }
            sorted.put(k, v);
        });
        return java.util.Collections.unmodifiableMap(sorted);
    }
}
