package io.flowfabric.api.policy;

import io.flowfabric.api.error.ValidationException;
import java.time.Duration;
import java.util.Objects;

/** How long to wait before a retry, as a function of how many retries already happened. */
public sealed interface Backoff permits Backoff.Fixed, Backoff.Exponential {
    /** The upper bound for any configured delay: 365 days. */
    Duration MAX_DELAY = Duration.ofDays(365);

    /** The delay before retry number {@code retryCount + 1} (retryCount starts at 0), before jitter. */
    Duration delay(int retryCount);

    /** The same delay before every retry. */
    record Fixed(Duration delay) implements Backoff {
        public Fixed {
            RetryPolicy.requireDelay("fixed backoff delay", delay);
        }

        @Override
        public Duration delay(int retryCount) {
            return delay;
        }
    }

    /**
     * {@code min(initial × multiplier^retryCount, max)}.
     *
     * @param initial the first delay
     * @param multiplier growth factor, in [1, 100]
     * @param max the cap
     */
    record Exponential(Duration initial, double multiplier, Duration max) implements Backoff {
        public Exponential {
            RetryPolicy.requireDelay("exponential backoff initial delay", initial);
            RetryPolicy.requireDelay("exponential backoff max delay", max);
            if (!(multiplier >= 1.0 && multiplier <= 100.0)) {
                throw new ValidationException(ValidationException.Kind.INVALID_POLICY,
                        "backoff multiplier must be in [1, 100]: " + multiplier);
            }
            if (max.compareTo(initial) < 0) {
                throw new ValidationException(ValidationException.Kind.INVALID_POLICY,
                        "backoff max delay " + max + " is below the initial delay " + initial);
            }
        }

        @Override
        public Duration delay(int retryCount) {
            double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, retryCount));
            long capped = (long) Math.min(millis, (double) max.toMillis());
            return Duration.ofMillis(capped);
        }
    }

    static Backoff fixed(Duration delay) {
        return new Fixed(Objects.requireNonNull(delay, "delay"));
    }

    static Backoff exponential(Duration initial, Duration max) {
        return new Exponential(initial, 2.0, max);
    }
}
