package io.flowfabric.api.state;

/** How a terminal execution ended; NONE while it is not terminal. */
public enum TerminalOutcome implements CanonicalLiteral {
    NONE,
    SUCCESS,
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
    public static TerminalOutcome fromLiteral(String literal) {
        return CanonicalLiteral.parse(TerminalOutcome.class, literal);
    }
}
