package io.flowfabric.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void exponentialDoublesFromInitialAndIsCapped() {
        RetryPolicy policy = RetryPolicy.exponential(10, Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertThat(policy.delayFor(0, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayFor(1, 1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayFor(2, 1)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayFor(9, 1)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void retriesWhileCountBelowMax() {
        RetryPolicy policy = RetryPolicy.fixed(2, Duration.ofSeconds(1));
        assertThat(policy.allowsRetry(0)).isTrue();
        assertThat(policy.allowsRetry(1)).isTrue();
        assertThat(policy.allowsRetry(2)).isFalse();
        assertThat(RetryPolicy.fixed(0, Duration.ZERO).allowsRetry(0)).isFalse();
    }

    @Test
    void jitterShrinksDelaysWithinBoundsAndIsReproduciblePerSeed() {
        RetryPolicy policy = RetryPolicy.fixed(3, Duration.ofSeconds(10)).withJitter(0.3);
        java.util.Set<Duration> seen = new java.util.HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            Duration d = policy.delayFor(0, seed);
            assertThat(d).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(10));
            assertThat(policy.delayFor(0, seed)).isEqualTo(d);
            seen.add(d);
        }
        assertThat(seen.size()).isGreaterThan(10);
    }
}
