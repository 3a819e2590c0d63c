package io.flowfabric.api.state;

/** The state of the execution's current attempt. */
public enum AttemptState implements CanonicalLiteral {
    PENDING_FIRST_ATTEMPT,
    RUNNING_ATTEMPT,
    ATTEMPT_INTERRUPTED,
    PENDING_RETRY_ATTEMPT,
    PENDING_REPLAY_ATTEMPT,
    ATTEMPT_TERMINAL;

    /** The canonical lower-case literal stored in the database. */
    @Override
    public String literal() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a canonical literal; an unknown literal is an {@link IllegalArgumentException}. */
    public static AttemptState fromLiteral(String literal) {
        return CanonicalLiteral.parse(AttemptState.class, literal);
    }
}
