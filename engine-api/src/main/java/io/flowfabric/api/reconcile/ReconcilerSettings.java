package io.flowfabric.api.reconcile;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.Objects;

/**
 * Which reconcilers an engine runs and how.
 *
 * @param enabled whether the engine starts the loops when it opens
 * @param executionRetention terminal executions older than this are deleted with all their rows
 * @param feedRetention outbox rows older than this are deleted
 * @param meterRegistry where the counters {@code flowfabric.reconciler.examined}, {@code .acted} and
 *     {@code .failed_ticks} (tag {@code reconciler}) are registered
 */
public record ReconcilerSettings(
        boolean enabled,
        ReconcilerConfig leaseExpiry,
        ReconcilerConfig delayedPromotion,
        ReconcilerConfig attemptTimeout,
        ReconcilerConfig executionDeadline,
        ReconcilerConfig retention,
        ReconcilerConfig idempotencyExpiry,
        ReconcilerConfig suspensionTimeout,
        ReconcilerConfig waitpointExpiry,
        Duration executionRetention,
        Duration feedRetention,
        MeterRegistry meterRegistry) {

    public ReconcilerSettings {
        Objects.requireNonNull(leaseExpiry, "leaseExpiry");
        Objects.requireNonNull(delayedPromotion, "delayedPromotion");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        Objects.requireNonNull(executionDeadline, "executionDeadline");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(idempotencyExpiry, "idempotencyExpiry");
        Objects.requireNonNull(suspensionTimeout, "suspensionTimeout");
        Objects.requireNonNull(waitpointExpiry, "waitpointExpiry");
        Objects.requireNonNull(executionRetention, "executionRetention");
        Objects.requireNonNull(feedRetention, "feedRetention");
        Objects.requireNonNull(meterRegistry, "meterRegistry");
    }

    /** Every reconciler on, at its default interval; 7 days of retention for executions and feeds. */
    public static ReconcilerSettings defaults() {
        return new ReconcilerSettings(true,
                ReconcilerConfig.every(Duration.ofMillis(1500)),
                ReconcilerConfig.every(Duration.ofMillis(750)),
                ReconcilerConfig.every(Duration.ofSeconds(2)),
                ReconcilerConfig.every(Duration.ofSeconds(5)),
                ReconcilerConfig.every(Duration.ofSeconds(60)),
                ReconcilerConfig.every(Duration.ofSeconds(60)),
                ReconcilerConfig.every(Duration.ofSeconds(2)),
                ReconcilerConfig.every(Duration.ofSeconds(5)),
                Duration.ofDays(7), Duration.ofDays(7), Metrics.globalRegistry);
    }

    /** The defaults with the loops off: passes run only when {@code runOnce()} is called. */
    public static ReconcilerSettings manual() {
        return defaults().withEnabled(false);
    }

    public ReconcilerSettings withEnabled(boolean value) {
        return new ReconcilerSettings(value, leaseExpiry, delayedPromotion, attemptTimeout, executionDeadline,
                retention, idempotencyExpiry, suspensionTimeout, waitpointExpiry, executionRetention, feedRetention, meterRegistry);
    }

    public ReconcilerSettings withRetention(Duration executions, Duration feeds) {
        return new ReconcilerSettings(enabled, leaseExpiry, delayedPromotion, attemptTimeout, executionDeadline,
                retention, idempotencyExpiry, suspensionTimeout, waitpointExpiry, executions, feeds, meterRegistry);
    }

    public ReconcilerSettings withMeterRegistry(MeterRegistry value) {
        return new ReconcilerSettings(enabled, leaseExpiry, delayedPromotion, attemptTimeout, executionDeadline,
                retention, idempotencyExpiry, suspensionTimeout, waitpointExpiry, executionRetention, feedRetention, value);
    }

    /** The same filter (namespace and/or tag) on every reconciler. */
    public ReconcilerSettings withFilter(io.flowfabric.api.Namespace namespace, String tagKey, String tagValue) {
        java.util.function.UnaryOperator<ReconcilerConfig> f = c -> new ReconcilerConfig(c.interval(),
                c.batchSize(), namespace, tagKey, tagValue);
        return new ReconcilerSettings(enabled, f.apply(leaseExpiry), f.apply(delayedPromotion),
                f.apply(attemptTimeout), f.apply(executionDeadline), f.apply(retention), f.apply(idempotencyExpiry),
                f.apply(suspensionTimeout), f.apply(waitpointExpiry), executionRetention, feedRetention, meterRegistry);
    }
}
