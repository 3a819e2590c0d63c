package io.flowfabric.internal;

import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.state.Transition;
import java.time.Instant;

/** Builds the row a create inserts. */
final class NewExecution {
    private NewExecution() {
    }

    static ExecutionRow row(CreateExecution request, long nowMs) {
        ExecutionPolicy policy = request.policy();
        ExecutionId id = request.executionId() != null ? request.executionId() : ExecutionId.solo(request.lane());
        long eligibleAt = nowMs + policy.delay().toMillis();
        if (request.delayUntil() != null) {
            requireSaneDelayUntil(request.delayUntil(), nowMs);
            eligibleAt = Math.max(eligibleAt, request.delayUntil().toEpochMilli());
        }
        boolean delayed = eligibleAt > nowMs;
        ExecutionRow row = new ExecutionRow();
        row.partitionKey = id.partition();
        row.executionId = id.uuid();
        row.namespace = request.namespace().value();
        row.laneId = request.lane().value();
        row.executionKind = request.kind();
        row.priority = policy.priority();
        row.setState((delayed ? Transition.CREATE_DELAYED : Transition.CREATE_ELIGIBLE).target());
        row.createdAtMs = nowMs;
        row.eligibleAtMs = delayed ? eligibleAt : nowMs;
        row.updatedAtMs = nowMs;
        row.deadlineAtMs = policy.executionDeadline() == null ? null : nowMs + policy.executionDeadline().toMillis();
        row.payload = request.payload().bytes();
        row.policyJson = PolicyCodec.encodePolicy(policy);
        row.tagsJson = PolicyCodec.encodeTags(request.tags());
        row.requiredCapabilities = java.util.List.copyOf(policy.requiredCapabilities());
        row.idempotencyKey = request.idempotencyKey();
        return row;
    }

    private static void requireSaneDelayUntil(Instant until, long nowMs) {
        long max = nowMs + ExecutionPolicy.MAX_DURATION.toMillis();
        if (until.toEpochMilli() > max) {
            throw new ValidationException(ValidationException.Kind.INVALID_DELAY,
                    "delay until " + until + " is more than " + ExecutionPolicy.MAX_DURATION.toDays()
                            + " days ahead");
        }
    }
}
