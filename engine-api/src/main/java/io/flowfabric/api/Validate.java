package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;
import java.time.Duration;

/** Argument checks shared by the request records. */
final class Validate {
    private Validate() {
    }

    static <T> T required(T value, String what) {
        if (value == null) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, what + " is required");
        }
        return value;
    }

    static String text(String value, String what, int max) {
        Names.requireName(what, value, max, ValidationException.Kind.INVALID_INPUT);
        return value;
    }

    static String optionalText(String value, String what, int max) {
        if (value != null && value.length() > max) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                    what + " must be at most " + max + " characters");
        }
        return value;
    }

    static Duration duration(Duration value, String what, Duration min, Duration max) {
        required(value, what);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ValidationException(ValidationException.Kind.INVALID_DELAY,
                    what + " must be between " + min + " and " + max + ": " + value);
        }
        return value;
    }
}
