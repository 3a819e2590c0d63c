package io.flowfabric.api;

import io.flowfabric.api.error.EngineException;

/**
 * The outcome of one request of a batch call: exactly one of {@code value} and {@code error} is set. The
 * error is what the same request made alone would have failed with (a fence error, a missing execution,
 * an execution that is not active); it concerns this request only.
 *
 * @param index the request's position in the batch, from 0
 */
public record BatchItem<T>(int index, T value, EngineException error) {
    public BatchItem {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("a batch item has either a value or an error");
        }
    }

    public static <T> BatchItem<T> success(int index, T value) {
        return new BatchItem<>(index, value, null);
    }

    public static <T> BatchItem<T> failure(int index, EngineException error) {
        return new BatchItem<>(index, null, error);
    }

    public boolean succeeded() {
        return error == null;
    }
}
