package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;

/** Shared validation for free-form names (namespaces, worker ids). */
final class Names {
    private Names() {
    }

    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return "'" + shown + "'";
    }

    /** 1 to {@code max} characters, none of them ISO control characters. */
    static void requireName(String what, String value, int max, ValidationException.Kind kind) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw new ValidationException(kind, what + " must be 1-" + max + " characters and not blank: "
                    + quote(value));
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new ValidationException(kind, what + " must not contain control characters: " + quote(value));
            }
        }
    }
}
