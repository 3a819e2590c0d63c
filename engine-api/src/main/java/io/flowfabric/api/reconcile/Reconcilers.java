package io.flowfabric.api.reconcile;

import java.util.List;

/**
 * The engine's reconcilers. The engine starts them when it opens (unless its options turn them off) and
 * stops them when it closes; each can also be run on demand through {@link Reconciler#runOnce()}.
 */
public interface Reconcilers {

    /** Lapsed leases become reclaimable (default every 1.5 s). */
    Reconciler leaseExpiry();

    /** Due delays and retries become eligible (default every 750 ms). */
    Reconciler delayedPromotion();

    /** Attempts past their timeout end {@code expired} (default every 2 s). */
    Reconciler attemptTimeout();

    /** Executions past their deadline end {@code expired} (default every 5 s). */
    Reconciler executionDeadline();

    /** Terminal executions and outbox rows past retention are deleted (default every 60 s). */
    Reconciler retention();

    /** Expired idempotency keys are deleted (default every 60 s). */
    Reconciler idempotencyExpiry();

    /** Suspensions past their timeout get their timeout behaviour (default every 2 s). */
    Reconciler suspensionTimeout();

    /** Pending waitpoints past their expiry are closed, reason {@code never_committed} (default every 5 s). */
    Reconciler waitpointExpiry();

    List<Reconciler> all();

    /** Starts every reconciler's loop; idempotent. */
    void start();

    /** Stops every loop; a pass in progress finishes. Idempotent. */
    void stop();
}
