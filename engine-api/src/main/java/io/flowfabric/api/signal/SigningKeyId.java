package io.flowfabric.api.signal;

import io.flowfabric.api.error.ValidationException;

/** Rules for the id ({@code kid}) of a waitpoint signing key: 1-64 characters of {@code [A-Za-z0-9._-]}. */
public final class SigningKeyId {
    private SigningKeyId() {
    }

    /** @throws ValidationException ({@code INVALID_INPUT}) when {@code kid} breaks the rules */
    public static String require(String kid) {
        if (kid == null || kid.isEmpty() || kid.length() > 64 || !kid.matches("[A-Za-z0-9._-]+")) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT,
                    "a signing key id is 1-64 characters of letters, digits, '.', '_' or '-'");
        }
        return kid;
    }
}
