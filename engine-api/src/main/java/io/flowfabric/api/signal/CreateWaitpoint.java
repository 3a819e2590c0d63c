package io.flowfabric.api.signal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LeaseFence;
import io.flowfabric.api.error.ValidationException;
import java.time.Duration;

/**
 * The lease holder creates a pending waitpoint before suspending, for example to hand its token to an
 * external system first. Signals delivered to it are buffered until a suspension names its key. The
 * lease is kept.
 *
 * @param expiresIn how long an unused pending waitpoint lives (default 24 h, at most 365 days)
 */
public record CreateWaitpoint(ExecutionId executionId, LeaseFence fence, String waitpointKey, Duration expiresIn) {
    public static final Duration DEFAULT_EXPIRY = Duration.ofHours(24);

    public CreateWaitpoint {
        if (executionId == null || fence == null) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "execution id and fence are required");
        }
        new ResumeCondition.Single(waitpointKey, null);
        expiresIn = expiresIn == null ? DEFAULT_EXPIRY : expiresIn;
        if (expiresIn.isNegative() || expiresIn.isZero() || expiresIn.compareTo(Duration.ofDays(365)) > 0) {
            throw new ValidationException(ValidationException.Kind.INVALID_DELAY,
                    "waitpoint expiry must be positive and at most 365 days: " + expiresIn);
        }
    }
}
