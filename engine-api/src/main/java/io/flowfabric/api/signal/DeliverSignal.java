package io.flowfabric.api.signal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.error.ValidationException;
import java.util.UUID;

/**
 * A signal from outside the trust boundary, authorised by the waitpoint's token.
 *
 * @param token the {@code <kid>:<hex>} token the waitpoint was issued with; verified before anything else
 * @param name the signal name the resume condition matches, for example {@code approved}
 * @param sourceType and {@code sourceIdentity}: who sent it (distinct-source counts use the pair)
 * @param idempotencyKey optional: a repeat with the same key returns the first signal's id and changes nothing
 */
public record DeliverSignal(
        ExecutionId executionId,
        UUID waitpointId,
        String token,
        String name,
        String sourceType,
        String sourceIdentity,
        String idempotencyKey,
        Payload payload) {

    public DeliverSignal {
        if (executionId == null || waitpointId == null) {
            throw invalid("execution id and waitpoint id are required");
        }
        requireText(name, "signal name", 128);
        requireText(sourceType, "source type", 128);
        requireText(sourceIdentity, "source identity", 256);
        if (idempotencyKey != null) {
            requireText(idempotencyKey, "idempotency key", 256);
        }
        payload = payload == null ? Payload.EMPTY : payload;
    }

    public static DeliverSignal of(ExecutionId executionId, IssuedWaitpoint waitpoint, String name, String sourceType,
            String sourceIdentity) {
        return new DeliverSignal(executionId, waitpoint.waitpointId(), waitpoint.token().reveal(), name, sourceType,
                sourceIdentity, null, null);
    }

    public DeliverSignal withIdempotencyKey(String value) {
        return new DeliverSignal(executionId, waitpointId, token, name, sourceType, sourceIdentity, value, payload);
    }

    public DeliverSignal withToken(String value) {
        return new DeliverSignal(executionId, waitpointId, value, name, sourceType, sourceIdentity, idempotencyKey,
                payload);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "DeliverSignal[executionId=" + executionId + ", waitpointId=" + waitpointId + ", name=" + name
                + ", source=" + sourceType + "/" + sourceIdentity + "]";
    }

    private static void requireText(String value, String what, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw invalid(what + " must be 1-" + max + " characters");
        }
    }

    private static ValidationException invalid(String detail) {
        return new ValidationException(ValidationException.Kind.INVALID_INPUT, detail);
    }
}
