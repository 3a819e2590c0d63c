package io.flowfabric.api.state;

/** Where an execution is in its life. */
public enum LifecyclePhase implements CanonicalLiteral {
    RUNNABLE,
    ACTIVE,
    SUSPENDED,
    TERMINAL;

    /** The canonical lower-case literal stored in the database. */
    @Override
    public String literal() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a canonical literal; an unknown literal is an {@link IllegalArgumentException}. */
    public static LifecyclePhase fromLiteral(String literal) {
        return CanonicalLiteral.parse(LifecyclePhase.class, literal);
    }
}
