package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.state.PublicState;

/**
 * A page request over executions in creation order. Null filters match everything.
 *
 * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first page;
 *     a malformed cursor is an {@code INVALID_CURSOR} validation error
 * @param limit page size in [0, {@value #MAX_LIMIT}]; 0 returns an empty page
 */
public record ListExecutions(LaneId lane, Namespace namespace, PublicState publicState, String cursor, int limit) {
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;

    public ListExecutions {
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                    "limit must be in [0, " + MAX_LIMIT + "]: " + limit);
        }
    }

    /** The first page of everything, {@value #DEFAULT_LIMIT} entries. */
    public static ListExecutions all() {
        return new ListExecutions(null, null, null, null, DEFAULT_LIMIT);
    }

    public ListExecutions withLane(LaneId value) {
        return new ListExecutions(value, namespace, publicState, cursor, limit);
    }

    public ListExecutions withNamespace(Namespace value) {
        return new ListExecutions(lane, value, publicState, cursor, limit);
    }

    public ListExecutions withPublicState(PublicState value) {
        return new ListExecutions(lane, namespace, value, cursor, limit);
    }

    public ListExecutions withCursor(String value) {
        return new ListExecutions(lane, namespace, publicState, value, limit);
    }

    public ListExecutions withLimit(int value) {
        return new ListExecutions(lane, namespace, publicState, cursor, value);
    }
}
