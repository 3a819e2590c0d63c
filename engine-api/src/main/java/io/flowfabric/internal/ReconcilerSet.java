package io.flowfabric.internal;

import io.flowfabric.api.reconcile.Reconciler;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.reconcile.Reconcilers;
import java.time.Clock;
import java.util.List;
import java.util.function.LongUnaryOperator;
import reactor.core.scheduler.Scheduler;

/** The engine's reconcilers, built from its settings. */
final class ReconcilerSet implements Reconcilers {
    private final DueReconciler leaseExpiry;
    private final DueReconciler delayedPromotion;
    private final DueReconciler attemptTimeout;
    private final DueReconciler executionDeadline;
    private final RetentionReconciler retention;
    private final IdempotencyReconciler idempotencyExpiry;
    private final DueReconciler suspensionTimeout;
    private final DueReconciler waitpointExpiry;
    private final List<LoopingReconciler> all;

    ReconcilerSet(Store store, Clock clock, Scheduler scheduler, ReconcilerSettings settings) {
        var meters = settings.meterRegistry();
        LongUnaryOperator now = LongUnaryOperator.identity();
        leaseExpiry = new DueReconciler("lease_expiry", settings.leaseExpiry(), clock, scheduler, meters, store,
                DueKind.LEASE_EXPIRED, now, TimeTransitions::expireLease);
        delayedPromotion = new DueReconciler("delayed_promotion", settings.delayedPromotion(), clock, scheduler,
                meters, store, DueKind.DELAY_DUE, now, TimeTransitions::promote);
        attemptTimeout = new DueReconciler("attempt_timeout", settings.attemptTimeout(), clock, scheduler, meters,
                store, DueKind.ATTEMPT_TIMED_OUT, now, TimeTransitions::timeOutAttempt);
        executionDeadline = new DueReconciler("execution_deadline", settings.executionDeadline(), clock, scheduler,
                meters, store, DueKind.DEADLINE_PASSED, now, TimeTransitions::expireAtDeadline);
        retention = new RetentionReconciler(settings.retention(), clock, scheduler, meters, store,
                settings.executionRetention(), settings.feedRetention());
        idempotencyExpiry = new IdempotencyReconciler(settings.idempotencyExpiry(), clock, scheduler, meters, store);
        suspensionTimeout = new DueReconciler("suspension_timeout", settings.suspensionTimeout(), clock, scheduler,
                meters, store, DueKind.SUSPENSION_TIMED_OUT, now, SuspensionTimeouts::timeOut);
        waitpointExpiry = new DueReconciler("waitpoint_expiry", settings.waitpointExpiry(), clock, scheduler, meters,
                store, DueKind.WAITPOINT_EXPIRED, now, SuspensionTimeouts::expireWaitpoints);
        all = List.of(leaseExpiry, delayedPromotion, attemptTimeout, executionDeadline, retention, idempotencyExpiry,
                suspensionTimeout, waitpointExpiry);
    }

    @Override
    public Reconciler leaseExpiry() {
        return leaseExpiry;
    }

    @Override
    public Reconciler delayedPromotion() {
        return delayedPromotion;
    }

    @Override
    public Reconciler attemptTimeout() {
        return attemptTimeout;
    }

    @Override
    public Reconciler executionDeadline() {
        return executionDeadline;
    }

    @Override
    public Reconciler retention() {
        return retention;
    }

    @Override
    public Reconciler idempotencyExpiry() {
        return idempotencyExpiry;
    }

    @Override
    public Reconciler suspensionTimeout() {
        return suspensionTimeout;
    }

    @Override
    public Reconciler waitpointExpiry() {
        return waitpointExpiry;
    }

    @Override
    public List<Reconciler> all() {
        return List.copyOf(all);
    }

    @Override
    public void start() {
        all.forEach(LoopingReconciler::start);
    }

    @Override
    public void stop() {
        all.forEach(LoopingReconciler::stop);
    }
}
