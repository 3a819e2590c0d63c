package io.flowfabric.api.state;

/** The life of one attempt record. */
public enum AttemptLifecycle implements CanonicalLiteral {
    STARTED,
    SUSPENDED,
    ENDED_SUCCESS,
    ENDED_FAILURE,
    ENDED_CANCELLED,
    ENDED_EXPIRED,
    INTERRUPTED_RECLAIMED;

    /** The canonical lower-case literal stored in the database. */
    @Override
    public String literal() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a canonical literal; an unknown literal is an {@link IllegalArgumentException}. */
    public static AttemptLifecycle fromLiteral(String literal) {
        return CanonicalLiteral.parse(AttemptLifecycle.class, literal);
    }
}
