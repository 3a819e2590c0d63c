package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;

/** A tenant or workspace scope: 1-128 characters, no control characters. */
public record Namespace(String value) {
    /** The namespace used when a request names none. */
    public static final Namespace DEFAULT = new Namespace("default");

    public Namespace {
        Names.requireName("namespace", value, 128, ValidationException.Kind.INVALID_NAMESPACE);
    }

    public static Namespace of(String value) {
        return new Namespace(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
