package io.flowfabric.api.state;

/** Why an execution is not running. */
public enum BlockingReason implements CanonicalLiteral {
    NONE,
    WAITING_FOR_WORKER,
    WAITING_FOR_RETRY_BACKOFF,
    WAITING_FOR_RESUME_DELAY,
    WAITING_FOR_DELAY,
    WAITING_FOR_SIGNAL,
    WAITING_FOR_APPROVAL,
    WAITING_FOR_CHILDREN,
    WAITING_FOR_BUDGET,
    WAITING_FOR_QUOTA,
    WAITING_FOR_CAPABLE_WORKER,
    PAUSED_BY_OPERATOR,
    WAITING_FOR_OPERATOR_REVIEW;

    /** The canonical lower-case literal stored in the database. */
    @Override
    public String literal() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a canonical literal; an unknown literal is an {@link IllegalArgumentException}. */
    public static BlockingReason fromLiteral(String literal) {
        return CanonicalLiteral.parse(BlockingReason.class, literal);
    }
}
