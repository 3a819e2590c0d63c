package io.flowfabric.api.policy;

import io.flowfabric.api.error.ValidationException;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How a failed attempt is retried. A failure schedules a retry while {@code retryCount < maxRetries};
 * the retry waits {@link Backoff#delay(int)} reduced by jitter.
 *
 * @param maxRetries retries after the first attempt, in [0, 1000]
 * @param backoff the delay schedule
 * @param jitter fraction in [0, 1]: each delay is multiplied by a factor drawn uniformly from
 *     {@code [1 - jitter, 1]}, so retries of many executions that failed together spread out. The draw is
 *     seeded by the execution and the retry number, so one execution's schedule is reproducible.
 */
public record RetryPolicy(int maxRetries, Backoff backoff, double jitter) {
    public static final int MAX_RETRIES_LIMIT = 1000;

    public RetryPolicy {
        if (maxRetries < 0 || maxRetries > MAX_RETRIES_LIMIT) {
            throw new ValidationException(ValidationException.Kind.INVALID_POLICY,
                    "max retries must be in [0, " + MAX_RETRIES_LIMIT + "]: " + maxRetries);
        }
        if (backoff == null) {
            throw new ValidationException(ValidationException.Kind.INVALID_POLICY, "retry policy needs a backoff");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new ValidationException(ValidationException.Kind.INVALID_POLICY,
                    "jitter must be in [0, 1]: " + jitter);
        }
    }

    /** {@code maxRetries} retries, each after {@code delay}. */
    public static RetryPolicy fixed(int maxRetries, Duration delay) {
        return new RetryPolicy(maxRetries, new Backoff.Fixed(delay), 0.0);
    }

    /** {@code maxRetries} retries after {@code initial}, doubling up to {@code max}. */
    public static RetryPolicy exponential(int maxRetries, Duration initial, Duration max) {
        return new RetryPolicy(maxRetries, new Backoff.Exponential(initial, 2.0, max), 0.0);
    }

    /** A copy with the given jitter fraction. */
    public RetryPolicy withJitter(double fraction) {
        return new RetryPolicy(maxRetries, backoff, fraction);
    }

    /** Whether a failure after {@code retryCount} earlier retries schedules another retry. */
    public boolean allowsRetry(int retryCount) {
        return retryCount < maxRetries;
    }

    /**
     * The delay before the next attempt after {@code retryCount} earlier retries, with jitter applied.
     *
     * @param jitterSeed a value identifying the execution; equal seeds give equal delays
     */
    public Duration delayFor(int retryCount, long jitterSeed) {
        Duration base = backoff.delay(retryCount);
        if (jitter == 0.0 || base.isZero()) {
            return base;
        }
        double u = new SplittableRandom(jitterSeed * 31 + retryCount).nextDouble();
        return Duration.ofMillis(Math.round(base.toMillis() * (1.0 - jitter * u)));
    }

    static void requireDelay(String what, Duration delay) {
        if (delay == null || delay.isNegative() || delay.compareTo(Backoff.MAX_DELAY) > 0) {
            throw new ValidationException(ValidationException.Kind.INVALID_POLICY,
                    what + " must be between 0 and " + Backoff.MAX_DELAY.toDays() + " days: " + delay);
        }
    }
}
