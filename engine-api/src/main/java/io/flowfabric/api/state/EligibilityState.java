package io.flowfabric.api.state;

/** Whether a runnable execution may be claimed now. */
public enum EligibilityState implements CanonicalLiteral {
    ELIGIBLE_NOW,
    NOT_ELIGIBLE_UNTIL_TIME,
    BLOCKED_BY_DEPENDENCIES,
    BLOCKED_BY_BUDGET,
    BLOCKED_BY_QUOTA,
    BLOCKED_BY_ROUTE,
    BLOCKED_BY_OPERATOR,
    NOT_APPLICABLE;

    /** The canonical lower-case literal stored in the database. */
    @Override
    public String literal() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a canonical literal; an unknown literal is an {@link IllegalArgumentException}. */
    public static EligibilityState fromLiteral(String literal) {
        return CanonicalLiteral.parse(EligibilityState.class, literal);
    }
}
