package io.flowfabric.internal;

/**
 * Executions whose {@code kind} condition holds at {@code nowMs}, oldest first, at most {@code limit}.
 * Null filters match everything; the tag filter compares {@code tags_json ->> tagKey} with
 * {@code tagValue}.
 */
public record DueQuery(DueKind kind, long nowMs, String namespace, String tagKey, String tagValue, int limit) {
}
