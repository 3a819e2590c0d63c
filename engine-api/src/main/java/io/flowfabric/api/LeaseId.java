package io.flowfabric.api;

import java.util.Objects;
import java.util.UUID;

/** Identifies one lease issuance. */
public record LeaseId(UUID value) {
    public LeaseId {
        Objects.requireNonNull(value, "value");
    }

    public static LeaseId random() {
        return new LeaseId(UUID.randomUUID());
    }

    public static LeaseId of(UUID value) {
        return new LeaseId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
