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
        FENCE_REQUIRED
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
