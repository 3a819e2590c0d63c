package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;

/** Logical worker identity, stable across restarts: 1-256 characters, no control characters. */
public record WorkerId(String value) {
    public WorkerId {
        Names.requireName("worker id", value, 256, ValidationException.Kind.INVALID_INPUT);
    }

    public static WorkerId of(String value) {
        return new WorkerId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
