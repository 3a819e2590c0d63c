package io.flowfabric.api.signal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Page;
import io.flowfabric.api.error.ValidationException;

/**
 * A page request over one execution's open (pending or active) waitpoints, ordered by creation time, then
 * waitpoint id.
 *
 * @param executionId the execution; required
 * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first page;
 *     a malformed cursor is an {@code INVALID_CURSOR} validation error
 * @param limit page size in [0, {@value #MAX_LIMIT}]; 0 returns an empty page
 * @throws ValidationException ({@code INVALID_INPUT}) from the constructor for a missing execution id or a
 *     limit out of range
 */
public record ListOpenWaitpoints(ExecutionId executionId, String cursor, int limit) {
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;

    public ListOpenWaitpoints {
        if (executionId == null) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "execution id is required");
        }
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                    "limit must be in [0, " + MAX_LIMIT + "]: " + limit);
        }
    }

    /** The first page of the execution's open waitpoints, {@value #DEFAULT_LIMIT} entries. */
    public static ListOpenWaitpoints of(ExecutionId executionId) {
        return new ListOpenWaitpoints(executionId, null, DEFAULT_LIMIT);
    }

    public ListOpenWaitpoints withCursor(String value) {
        return new ListOpenWaitpoints(executionId, value, limit);
    }

    public ListOpenWaitpoints withLimit(int value) {
        return new ListOpenWaitpoints(executionId, cursor, value);
    }
}
