package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;

/** Identity of one worker process; use a fresh value per process: 1-256 characters, no control characters. */
public record WorkerInstanceId(String value) {
    public WorkerInstanceId {
        Names.requireName("worker instance id", value, 256, ValidationException.Kind.INVALID_INPUT);
    }

    public static WorkerInstanceId of(String value) {
        return new WorkerInstanceId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
