package io.flowfabric.internal;

import io.flowfabric.api.state.AttemptType;

/**
 * An execution as a granted claim left it ({@link Store#claimGranted}).
 *
 * @param row every column after the claim
 * @param attemptType the type of the attempt the lease runs
 * @param resumed whether the lease re-leased the interrupted current attempt instead of starting one
 */
public record ClaimedRow(ExecutionRow row, AttemptType attemptType, boolean resumed) {
}
