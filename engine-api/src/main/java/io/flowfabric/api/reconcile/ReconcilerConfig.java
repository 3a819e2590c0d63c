package io.flowfabric.api.reconcile;

import io.flowfabric.api.Namespace;
import io.flowfabric.api.Tags;
import java.time.Duration;
import java.util.Objects;

/**
 * How one reconciler runs.
 *
 * @param interval time between passes (the first pass comes after a random part of it, so several
 *     engines do not tick together)
 * @param batchSize most rows handled per pass
 * @param namespace only executions of this namespace, or {@code null} for all
 * @param tagKey with {@code tagValue}: only executions carrying this tag, or {@code null}
 */
public record ReconcilerConfig(Duration interval, int batchSize, Namespace namespace, String tagKey, String tagValue) {
    public ReconcilerConfig {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batch size must be in [1, 10000]: " + batchSize);
        }
        if ((tagKey == null) != (tagValue == null)) {
            throw new IllegalArgumentException("a tag filter needs both key and value");
        }
        if (tagKey != null) {
            Tags.requireKey(tagKey);
        }
    }

    public static ReconcilerConfig every(Duration interval) {
        return new ReconcilerConfig(interval, 500, null, null, null);
    }

    public ReconcilerConfig withBatchSize(int value) {
        return new ReconcilerConfig(interval, value, namespace, tagKey, tagValue);
    }

    public ReconcilerConfig withNamespace(Namespace value) {
        return new ReconcilerConfig(interval, batchSize, value, tagKey, tagValue);
    }

    public ReconcilerConfig withTag(String key, String value) {
        return new ReconcilerConfig(interval, batchSize, namespace, key, value);
    }
}
