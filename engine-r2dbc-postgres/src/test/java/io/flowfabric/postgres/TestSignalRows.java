package io.flowfabric.postgres;

import io.flowfabric.api.state.Transition;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointRow;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Waitpoint, suspension, signal and signing key fixtures: valid rows with every NOT NULL column set. */
final class TestSignalRows {
    /** A resume condition in jsonb's normal form (a space after ':' and ','), so it reads back unchanged. */
    static final String CONDITION_JSON = "{\"type\": \"signal\", \"waitpointKey\": \"gate\"}";
    static final String OUTCOME_JSON = "{\"waitpoints\": []}";

    private TestSignalRows() {
    }

    /** {@code row} suspended (lease released) from an active attempt. */
    static ExecutionRow suspended(ExecutionRow row) {
        TestRows.leased(row, row.createdAtMs + 30_000);
        row.setState(Transition.SUSPEND.target());
        row.leaseExpiresAtMs = null;
        return row;
    }

    /** A pending waitpoint of {@code execution}, created at {@code createdAtMs}, without an expiry. */
    static WaitpointRow waitpoint(ExecutionRow execution, String key, long createdAtMs) {
        WaitpointRow w = new WaitpointRow();
        w.partitionKey = execution.partitionKey;
        w.executionId = execution.executionId;
        w.waitpointId = UUID.randomUUID();
        w.waitpointKey = key;
        w.state = "pending";
        w.tokenKid = "k1";
        w.tokenFingerprint = "fp-" + key;
        w.createdAtMs = createdAtMs;
        return w;
    }

    /** A pending waitpoint of {@code execution} that expires at {@code expiresAtMs}. */
    static WaitpointRow expiring(ExecutionRow execution, String key, long expiresAtMs) {
        WaitpointRow w = waitpoint(execution, key, expiresAtMs - 60_000);
        w.expiresAtMs = expiresAtMs;
        return w;
    }

    /** {@code w} closed at {@code closedAtMs}. */
    static WaitpointRow closed(WaitpointRow w, long closedAtMs) {
        w.state = "closed";
        w.closedAtMs = closedAtMs;
        w.closeReason = "satisfied";
        return w;
    }

    /** An open suspension of {@code execution}'s attempt 0 without a timeout or idempotency key. */
    static SuspensionRow suspension(ExecutionRow execution, long suspendedAtMs) {
        SuspensionRow s = new SuspensionRow();
        s.partitionKey = execution.partitionKey;
        s.executionId = execution.executionId;
        s.suspensionId = UUID.randomUUID();
        s.attemptIndex = 0;
        s.reasonCode = "waiting_for_approval";
        s.conditionJson = CONDITION_JSON;
        s.timeoutBehavior = "fail";
        s.resumeDelayMs = 0;
        s.suspendedAtMs = suspendedAtMs;
        s.outcomeJson = OUTCOME_JSON;
        return s;
    }

    /** An open suspension of {@code execution} that times out at {@code timeoutAtMs}. */
    static SuspensionRow timingOut(ExecutionRow execution, long timeoutAtMs) {
        SuspensionRow s = suspension(execution, timeoutAtMs - 60_000);
        s.timeoutAtMs = timeoutAtMs;
        return s;
    }

    /** A buffered signal to waitpoint {@code w}, without an idempotency key. */
    static SignalRow signal(WaitpointRow w, String name, long deliveredAtMs) {
        SignalRow s = new SignalRow();
        s.partitionKey = w.partitionKey;
        s.executionId = w.executionId;
        s.signalId = UUID.randomUUID();
        s.waitpointId = w.waitpointId;
        s.waitpointKey = w.waitpointKey;
        s.signalName = name;
        s.sourceType = "user";
        s.sourceIdentity = "ada";
        s.payload = ("{\"signal\": \"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        s.deliveredAtMs = deliveredAtMs;
        s.effect = "buffered";
        return s;
    }

    static SigningKeyRow signingKey(String kid, byte[] secret, long createdAtMs, boolean current) {
        SigningKeyRow k = new SigningKeyRow();
        k.kid = kid;
        k.secret = secret;
        k.createdAtMs = createdAtMs;
        k.current = current;
        return k;
    }
}
