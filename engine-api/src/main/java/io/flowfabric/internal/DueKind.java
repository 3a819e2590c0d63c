package io.flowfabric.internal;

/** The time-based conditions reconcilers look for; each backend has one query per kind. */
public enum DueKind {
    /** Active, leased, {@code lease_expires_at_ms <= now}; ordered by lease expiry. */
    LEASE_EXPIRED,
    /** Runnable, {@code not_eligible_until_time}, {@code eligible_at_ms <= now}; ordered by eligible_at_ms. */
    DELAY_DUE,
    /** Active, {@code attempt_deadline_at_ms <= now}; ordered by attempt deadline. */
    ATTEMPT_TIMED_OUT,
    /** Not terminal, {@code deadline_at_ms <= now}; ordered by deadline. */
    DEADLINE_PASSED,
    /** Terminal, {@code terminal_at_ms <= now} (the caller passes now minus the retention); ordered by terminal_at_ms. */
    RETENTION_DUE,
    /**
     * Suspended, with an open suspension whose {@code timeout_at_ms <= now}; ordered by timeout
     * ({@code ff_suspension} joined on the execution).
     */
    SUSPENSION_TIMED_OUT,
    /** Has a {@code pending} waitpoint with {@code expires_at_ms <= now}; ordered by that expiry. */
    WAITPOINT_EXPIRED
}
