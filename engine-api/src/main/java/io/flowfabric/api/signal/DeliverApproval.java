package io.flowfabric.api.signal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.error.ValidationException;

/**
 * A trusted, in-process approval: no token is needed, but the caller must name the execution's lane
 * (a mismatch is a {@code ConflictException}). The signal is delivered to the execution's open waitpoint
 * with key {@code waitpointKey}, named {@code decision} (for example {@code approved} or {@code rejected}),
 * from source {@code operator}/{@code approver}, and deduplicated per decision and approver
 * (idempotency key {@code approval:<decision>:<approver>}).
 */
public record DeliverApproval(ExecutionId executionId, LaneId lane, String waitpointKey, String decision,
        String approver) {
    public DeliverApproval {
        if (executionId == null || lane == null) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "execution id and lane are required");
        }
        new ResumeCondition.Single(waitpointKey, null);
        for (String value : new String[] {decision, approver}) {
            if (value == null || value.isBlank() || value.length() > 128) {
                throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                        "decision and approver must be 1-128 characters");
            }
        }
    }
}
