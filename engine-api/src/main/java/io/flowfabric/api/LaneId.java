package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;

/**
 * A lane: a named queue executions are submitted to and workers claim from. 1 to 64 characters of
 * printable ASCII (0x20 to 0x7E).
 */
public record LaneId(String value) {
    public LaneId {
        if (value == null || value.isEmpty() || value.length() > 64) {
            throw new ValidationException(ValidationException.Kind.INVALID_LANE,
                    "lane id must be 1-64 characters: " + Names.quote(value));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new ValidationException(ValidationException.Kind.INVALID_LANE,
                        "lane id must be printable ASCII: " + Names.quote(value));
            }
        }
    }

    public static LaneId of(String value) {
        return new LaneId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
