package io.flowfabric.internal;

import java.time.Duration;

/**
 * How feeds read.
 *
 * @param pageSize rows read per catch-up query
 * @param pollInterval a feed also re-reads this often without a wake-up, so a row that settled without a
 *     notification (its transaction finished after a later one notified) is still delivered
 * @param disconnectLimit how long a feed keeps retrying an unreachable database before it fails with
 *     {@link io.flowfabric.api.feed.FeedDisconnectedException}
 */
public record FeedSettings(int pageSize, Duration pollInterval, Duration disconnectLimit) {
    public static final FeedSettings DEFAULT = new FeedSettings(256, Duration.ofMillis(500), Duration.ofSeconds(60));

    public FeedSettings {
        if (pageSize < 1 || pageSize > 10_000) {
            throw new IllegalArgumentException("page size must be in [1, 10000]: " + pageSize);
        }
        if (pollInterval.isNegative() || pollInterval.isZero() || disconnectLimit.isNegative()) {
            throw new IllegalArgumentException("poll interval must be positive and the limit not negative");
        }
    }
}
