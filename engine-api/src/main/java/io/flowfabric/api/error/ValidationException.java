package io.flowfabric.api.error;

/** The input is malformed or out of range. Nothing was written. */
public final class ValidationException extends EngineException {

    /** What was wrong with the input. */
    public enum Kind {
        INVALID_INPUT,
        INVALID_ID,
        INVALID_LANE,
        INVALID_NAMESPACE,
        INVALID_TAG_KEY,
        INVALID_CAPABILITIES,
        INVALID_POLICY,
        INVALID_DELAY,
        PAYLOAD_TOO_LARGE,
        INVALID_CURSOR,
        FENCE_REQUIRED,
        /** A waitpoint token that does not verify (tampered, or for another waitpoint). */
        INVALID_TOKEN,
        /** A waitpoint token signed with an unknown key, or one retired past its grace period. */
        TOKEN_EXPIRED,
        /** The execution already received the most signals its policy allows. */
        SIGNAL_LIMIT_EXCEEDED
    }

    private final Kind kind;

    public ValidationException(Kind kind, String detail) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
