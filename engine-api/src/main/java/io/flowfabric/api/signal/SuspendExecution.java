package io.flowfabric.api.signal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LeaseFence;
import io.flowfabric.api.error.ValidationException;
import java.time.Duration;

/**
 * The lease holder suspends the execution until {@code condition} is satisfied. Every waitpoint key the
 * condition names gets a waitpoint: a pending one with that key is activated (its buffered signals count),
 * otherwise a fresh one is created. Suspending releases the lease; the same attempt continues after the
 * resume.
 *
 * @param reasonCode why, for example {@code waiting_for_approval} (1-64 characters)
 * @param timeout how long to wait, or {@code null} for no limit
 * @param timeoutBehavior what a timeout does (default {@link TimeoutBehavior#FAIL})
 * @param resumeDelay how long the execution stays delayed after the condition is satisfied (default 0)
 * @param idempotencyKey repeating the suspend with the same key returns the first outcome and writes nothing
 */
public record SuspendExecution(
        ExecutionId executionId,
        LeaseFence fence,
        ResumeCondition condition,
        String reasonCode,
        Duration timeout,
        TimeoutBehavior timeoutBehavior,
        Duration resumeDelay,
        String idempotencyKey) {

    public SuspendExecution {
        if (executionId == null || fence == null) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "execution id and fence are required");
        }
        ResumeCondition.validated(condition);
        reasonCode = reasonCode == null ? "waiting_for_signal" : reasonCode;
        if (reasonCode.isBlank() || reasonCode.length() > 64) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "reason code must be 1-64 characters");
        }
        requireDuration("suspension timeout", timeout, false);
        timeoutBehavior = timeoutBehavior == null ? TimeoutBehavior.FAIL : timeoutBehavior;
        resumeDelay = resumeDelay == null ? Duration.ZERO : resumeDelay;
        requireDuration("resume delay", resumeDelay, true);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 256)) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "idempotency key must be 1-256 characters");
        }
    }

    /** Suspends until {@code condition}, with no timeout. */
    public static SuspendExecution until(ExecutionId executionId, LeaseFence fence, ResumeCondition condition) {
        return new SuspendExecution(executionId, fence, condition, null, null, null, null, null);
    }

    public SuspendExecution withTimeout(Duration value, TimeoutBehavior behavior) {
        return new SuspendExecution(executionId, fence, condition, reasonCode, value, behavior, resumeDelay,
                idempotencyKey);
    }

    public SuspendExecution withIdempotencyKey(String value) {
        return new SuspendExecution(executionId, fence, condition, reasonCode, timeout, timeoutBehavior, resumeDelay,
                value);
    }

    public SuspendExecution withResumeDelay(Duration value) {
        return new SuspendExecution(executionId, fence, condition, reasonCode, timeout, timeoutBehavior, value,
                idempotencyKey);
    }

    private static void requireDuration(String what, Duration value, boolean zeroAllowed) {
        if (value == null) {
            return;
        }
        if (value.isNegative() || (!zeroAllowed && value.isZero()) || value.compareTo(Duration.ofDays(365)) > 0) {
            throw new ValidationException(ValidationException.Kind.INVALID_DELAY,
                    what + " must be " + (zeroAllowed ? "between 0 and" : "positive and at most") + " 365 days: " + value);
        }
    }
}
