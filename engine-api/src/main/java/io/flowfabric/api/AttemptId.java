package io.flowfabric.api;

import java.util.Objects;
import java.util.UUID;

/** Identifies one attempt of an execution. */
public record AttemptId(UUID value) {
    public AttemptId {
        Objects.requireNonNull(value, "value");
    }

    public static AttemptId random() {
        return new AttemptId(UUID.randomUUID());
    }

    public static AttemptId of(UUID value) {
        return new AttemptId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
