package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptType;
import java.util.UUID;

/**
 * What a claim hands back for one execution it leased ({@link Store#claimGranted}): the execution's
 * identity and work, and the lease and attempt the claim gave it. A backend reads only these columns of
 * the leased row; the rest stay in the database.
 *
 * @param id the execution
 * @param executionKind {@code execution_kind}
 * @param laneId {@code lane_id}
 * @param namespace {@code namespace}
 * @param payload {@code payload} bytes
 * @param tagsJson {@code tags_json}, a JSON object of strings
 * @param priority {@code priority}
 * @param leaseId the new lease's id
 * @param leaseEpoch the new lease's epoch (the fencing token)
 * @param attemptId the current attempt's id
 * @param attemptIndex the current attempt's index
 * @param leaseExpiresAtMs when the lease lapses, epoch milliseconds
 * @param attemptDeadlineAtMs when the attempt times out, epoch milliseconds; null without a timeout
 * @param attemptType the type of the attempt the lease runs
 * @param resumed whether the lease re-leased the interrupted current attempt instead of starting one
 */
public record ClaimedRow(ExecutionId id, String executionKind, String laneId, String namespace, byte[] payload,
        String tagsJson, int priority, UUID leaseId, long leaseEpoch, UUID attemptId, int attemptIndex,
        long leaseExpiresAtMs, Long attemptDeadlineAtMs, AttemptType attemptType, boolean resumed) {

    /** The claim answer of a whole row as a claim left it. */
    public static ClaimedRow of(ExecutionRow row, AttemptType attemptType, boolean resumed) {
        return new ClaimedRow(row.id(), row.executionKind, row.laneId, row.namespace, row.payload, row.tagsJson,
                row.priority, row.leaseId, row.leaseEpoch, row.currentAttemptId, row.currentAttemptIndex,
                row.leaseExpiresAtMs, row.attemptDeadlineAtMs, attemptType, resumed);
    }
}
