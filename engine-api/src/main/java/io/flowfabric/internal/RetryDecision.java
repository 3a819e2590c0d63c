package io.flowfabric.internal;

import io.flowfabric.api.FailOutcome;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.state.Transition;
import java.time.Duration;

/**
 * What a failed attempt leads to: a retry while {@code retry_count < max_retries}, delayed on the backoff
 * schedule (with jitter seeded by the execution id), or terminal failure when the policy has no retries
 * left or none at all.
 */
final class RetryDecision {
    private RetryDecision() {
    }

    /** Applies the decision to the locked row and returns the outcome to report. */
    static FailOutcome apply(ExecutionRow row, long nowMs) {
        ExecutionPolicy policy = PolicyCodec.decodePolicy(row.policyJson);
        RetryPolicy retry = policy.retry();
        if (retry != null && retry.allowsRetry(row.retryCount)) {
            long seed = row.executionId.getMostSignificantBits() ^ row.executionId.getLeastSignificantBits();
            Duration delay = retry.delayFor(row.retryCount, seed);
            row.setState(Transition.FAIL_RETRY.apply(row.lifecyclePhase));
            row.eligibleAtMs = nowMs + delay.toMillis();
            row.retryCount = row.retryCount + 1;
            row.leaseExpiresAtMs = null;
            row.attemptDeadlineAtMs = null;
            row.updatedAtMs = nowMs;
            return new FailOutcome.RetryScheduled(Snapshots.instant(row.eligibleAtMs), row.totalAttemptCount);
        }
        LeaseOps.finish(row, Transition.FAIL_TERMINAL, nowMs);
        return new FailOutcome.TerminalFailed(row.id());
    }
}
