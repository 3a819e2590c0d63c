package io.flowfabric.api;

/** Result of an operator cancel; {@code alreadyCancelled} when it had been cancelled before. */
public record Cancelled(ExecutionId executionId, boolean alreadyCancelled) {
}
