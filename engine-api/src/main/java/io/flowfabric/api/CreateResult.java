package io.flowfabric.api;

import io.flowfabric.api.state.PublicState;

/** Outcome of {@link Executions#create}. */
public sealed interface CreateResult permits CreateResult.Created, CreateResult.Duplicate {

    ExecutionId executionId();

    /** The execution was created in {@code publicState} ({@code waiting} or {@code delayed}). */
    record Created(ExecutionId executionId, PublicState publicState) implements CreateResult {
    }

    /**
     * Nothing was created: the id already exists, or the idempotency key is still reserved by
     * {@code executionId}.
     */
    record Duplicate(ExecutionId executionId) implements CreateResult {
    }
}
