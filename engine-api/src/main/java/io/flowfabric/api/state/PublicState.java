package io.flowfabric.api.state;

/**
 * The user-facing state of an execution, derived from the state vector by {@link #derive}. Stored
 * alongside the vector only so lists can filter on it; it is always recomputed on write.
 */
public enum PublicState implements CanonicalLiteral {
    WAITING,
    DELAYED,
    RATE_LIMITED,
    WAITING_CHILDREN,
    ACTIVE,
    SUSPENDED,
    COMPLETED,
    FAILED,
    CANCELLED,
    EXPIRED,
    SKIPPED;

    /** The canonical lower-case literal stored in the database. */
    @Override
    public String literal() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a canonical literal; an unknown literal is an {@link IllegalArgumentException}. */
    public static PublicState fromLiteral(String literal) {
        return CanonicalLiteral.parse(PublicState.class, literal);
    }

    /** Whether this state is final: the execution will not run again unless replayed. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == EXPIRED || this == SKIPPED;
    }

    /**
     * Derives the public state: a terminal execution by its outcome, a suspended or active one by its
     * phase (active even when the lease has lapsed), a runnable one by its eligibility.
     */
    public static PublicState derive(LifecyclePhase phase, EligibilityState eligibility, TerminalOutcome outcome) {
        return switch (phase) {
            case TERMINAL -> switch (outcome) {
                case SUCCESS -> COMPLETED;
                case CANCELLED -> CANCELLED;
                case EXPIRED -> EXPIRED;
                case SKIPPED -> SKIPPED;
                case FAILED, NONE -> FAILED;
            };
            case SUSPENDED -> SUSPENDED;
            case ACTIVE -> ACTIVE;
            case RUNNABLE -> switch (eligibility) {
                case NOT_ELIGIBLE_UNTIL_TIME -> DELAYED;
                case BLOCKED_BY_DEPENDENCIES -> WAITING_CHILDREN;
                case BLOCKED_BY_BUDGET, BLOCKED_BY_QUOTA -> RATE_LIMITED;
                case ELIGIBLE_NOW, BLOCKED_BY_ROUTE, BLOCKED_BY_OPERATOR, NOT_APPLICABLE -> WAITING;
            };
        };
    }
}
