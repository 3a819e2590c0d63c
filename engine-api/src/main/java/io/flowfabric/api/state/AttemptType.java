package io.flowfabric.api.state;

/** Why an attempt was created. */
public enum AttemptType implements CanonicalLiteral {
    INITIAL,
    RETRY,
    RECLAIM,
    REPLAY;

    /** The canonical lower-case literal stored in the database. */
    @Override
    public String literal() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a canonical literal; an unknown literal is an {@link IllegalArgumentException}. */
    public static AttemptType fromLiteral(String literal) {
        return CanonicalLiteral.parse(AttemptType.class, literal);
    }
}
