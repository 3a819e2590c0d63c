package io.flowfabric.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfabric.api.signal.IssuedWaitpoint;
import io.flowfabric.api.signal.SuspendExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Suspension rows. The stored outcome lists the bound waitpoint ids only ({@code {"waitpoints":[..]}}):
 * tokens are re-derived when an idempotent suspend is replayed, so none is ever at rest.
 */
final class Suspensions {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Suspensions() {
    }

    static SuspensionRow newRow(ExecutionRow row, UUID suspensionId, SuspendExecution request,
            List<IssuedWaitpoint> waitpoints, long now) {
        SuspensionRow s = new SuspensionRow();
        s.partitionKey = row.partitionKey;
        s.executionId = row.executionId;
        s.suspensionId = suspensionId;
        s.attemptIndex = row.currentAttemptIndex;
        s.reasonCode = request.reasonCode();
        s.conditionJson = ConditionCodec.encode(request.condition());
        s.timeoutAtMs = request.timeout() == null ? null : now + request.timeout().toMillis();
        s.timeoutBehavior = request.timeoutBehavior().name().toLowerCase(java.util.Locale.ROOT);
        s.resumeDelayMs = request.resumeDelay().toMillis();
        s.suspendedAtMs = now;
        s.idempotencyKey = request.idempotencyKey();
        ObjectNode outcome = MAPPER.createObjectNode();
        ArrayNode ids = outcome.putArray("waitpoints");
        waitpoints.forEach(w -> ids.add(w.waitpointId().toString()));
        s.outcomeJson = outcome.toString();
        return s;
    }

    static List<UUID> waitpointIds(SuspensionRow s) {
        try {
            List<UUID> ids = new ArrayList<>();
            MAPPER.readTree(s.outcomeJson).path("waitpoints").forEach(n -> ids.add(UUID.fromString(n.asText())));
            return ids;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored suspension outcome is not JSON", e);
        }
    }
}
