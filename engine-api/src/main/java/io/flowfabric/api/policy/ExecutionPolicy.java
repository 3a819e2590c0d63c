package io.flowfabric.api.policy;

import io.flowfabric.api.Capabilities;
import io.flowfabric.api.error.ValidationException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * What an execution is allowed and expected to do, fixed at creation.
 *
 * @param priority higher runs sooner; clamped to [{@value #MIN_PRIORITY}, {@value #MAX_PRIORITY}]
 * @param delay how long after creation the execution becomes claimable; zero for at once
 * @param retry how failures are retried; {@code null} means a failure is terminal
 * @param attemptTimeout the longest one attempt may run; {@code null} for no limit
 * @param executionDeadline the longest the whole execution may take from creation; {@code null} for none
 * @param maxReclaimCount how many times expired or revoked leases may be reclaimed before the execution
 *     fails, in [0, 10000] (default {@value #DEFAULT_MAX_RECLAIM_COUNT})
 * @param maxReplayCount how many operator replays are allowed (default {@value #DEFAULT_MAX_REPLAY_COUNT})
 * @param requiredCapabilities tokens a worker must offer to claim the execution
 * @param dedupWindow how long an idempotency key given at creation is remembered (default 24 h)
 */
public record ExecutionPolicy(
        int priority,
        Duration delay,
        RetryPolicy retry,
        Duration attemptTimeout,
        Duration executionDeadline,
        int maxReclaimCount,
        int maxReplayCount,
        SortedSet<String> requiredCapabilities,
        Duration dedupWindow) {

    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 9000;
    public static final int DEFAULT_MAX_RECLAIM_COUNT = 100;
    public static final int DEFAULT_MAX_REPLAY_COUNT = 10;
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofHours(24);
    /** Upper bound for the delay, timeouts, deadline and dedup window: 365 days. */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    /** The defaults: priority 0, no delay, no retries, no timeouts. */
    public static final ExecutionPolicy DEFAULT = new ExecutionPolicy(0, Duration.ZERO, null, null, null,
            DEFAULT_MAX_RECLAIM_COUNT, DEFAULT_MAX_REPLAY_COUNT, null, DEFAULT_DEDUP_WINDOW);

    public ExecutionPolicy {
        priority = Math.max(MIN_PRIORITY, Math.min(MAX_PRIORITY, priority));
        delay = delay == null ? Duration.ZERO : delay;
        requireRange("delay", delay, true);
        if (attemptTimeout != null) {
            requireRange("attempt timeout", attemptTimeout, false);
        }
        if (executionDeadline != null) {
            requireRange("execution deadline", executionDeadline, false);
        }
        if (maxReclaimCount < 0 || maxReclaimCount > 10_000) {
            throw invalid("max reclaim count must be in [0, 10000]: " + maxReclaimCount);
        }
        if (maxReplayCount < 0 || maxReplayCount > 10_000) {
            throw invalid("max replay count must be in [0, 10000]: " + maxReplayCount);
        }
        requiredCapabilities = Capabilities.copyOf(requiredCapabilities);
        dedupWindow = dedupWindow == null ? DEFAULT_DEDUP_WINDOW : dedupWindow;
        requireRange("dedup window", dedupWindow, false);
    }

    public ExecutionPolicy withPriority(int value) {
        return new ExecutionPolicy(value, delay, retry, attemptTimeout, executionDeadline, maxReclaimCount,
                maxReplayCount, requiredCapabilities, dedupWindow);
    }

    public ExecutionPolicy withDelay(Duration value) {
        return new ExecutionPolicy(priority, value, retry, attemptTimeout, executionDeadline, maxReclaimCount,
                maxReplayCount, requiredCapabilities, dedupWindow);
    }

    public ExecutionPolicy withRetry(RetryPolicy value) {
        return new ExecutionPolicy(priority, delay, value, attemptTimeout, executionDeadline, maxReclaimCount,
                maxReplayCount, requiredCapabilities, dedupWindow);
    }

    public ExecutionPolicy withAttemptTimeout(Duration value) {
        return new ExecutionPolicy(priority, delay, retry, value, executionDeadline, maxReclaimCount,
                maxReplayCount, requiredCapabilities, dedupWindow);
    }

    public ExecutionPolicy withExecutionDeadline(Duration value) {
        return new ExecutionPolicy(priority, delay, retry, attemptTimeout, value, maxReclaimCount,
                maxReplayCount, requiredCapabilities, dedupWindow);
    }

    public ExecutionPolicy withMaxReclaimCount(int value) {
        return new ExecutionPolicy(priority, delay, retry, attemptTimeout, executionDeadline, value,
                maxReplayCount, requiredCapabilities, dedupWindow);
    }

    public ExecutionPolicy withRequiredCapabilities(Set<String> value) {
        return new ExecutionPolicy(priority, delay, retry, attemptTimeout, executionDeadline, maxReclaimCount,
                maxReplayCount, value == null ? null : new java.util.TreeSet<>(value), dedupWindow);
    }

    public ExecutionPolicy withDedupWindow(Duration value) {
        return new ExecutionPolicy(priority, delay, retry, attemptTimeout, executionDeadline, maxReclaimCount,
                maxReplayCount, requiredCapabilities, value);
    }

    public Optional<RetryPolicy> retryPolicy() {
        return Optional.ofNullable(retry);
    }

    private static void requireRange(String what, Duration value, boolean zeroAllowed) {
        if (value.isNegative() || (!zeroAllowed && value.isZero()) || value.compareTo(MAX_DURATION) > 0) {
            throw new ValidationException(ValidationException.Kind.INVALID_DELAY,
                    what + " must be " + (zeroAllowed ? "between 0 and " : "positive and at most ")
                            + MAX_DURATION.toDays() + " days: " + value);
        }
    }

    private static ValidationException invalid(String detail) {
        return new ValidationException(ValidationException.Kind.INVALID_POLICY, detail);
    }
}
