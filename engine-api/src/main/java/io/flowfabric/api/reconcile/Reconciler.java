package io.flowfabric.api.reconcile;

import reactor.core.publisher.Mono;

/**
 * A background job that finds executions whose time-based condition has come (a lapsed lease, a due
 * delay, a timeout) and applies the transition, each row in its own short transaction that re-checks the
 * condition under lock. Safe to run in several engines against one database: a row is changed once.
 */
public interface Reconciler {

    /** A stable name, for example {@code lease_expiry}; also the metrics tag. */
    String name();

    ReconcilerConfig config();

    /** One pass, now. Tests call it directly with a settable clock. */
    Mono<ReconcileReport> runOnce();
}
