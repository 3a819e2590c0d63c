package io.flowfabric.api;

import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.policy.RetryPolicy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Request to create an execution.
 *
 * @param executionId the id to create; {@code null} mints {@link ExecutionId#solo(LaneId)}. Creating an
 *     existing id returns {@link CreateResult.Duplicate} and changes nothing.
 * @param kind the execution kind workers route on, 1-128 characters
 * @param lane the lane it is claimed from
 * @param namespace the tenant scope (default {@link Namespace#DEFAULT})
 * @param payload the input, at most {@link Payload#MAX_BYTES}
 * @param policy priority, delay, retries, timeouts and capabilities
 * @param tags validated by {@link Tags}
 * @param idempotencyKey optional, at most 256 characters: a second create with the same key in the same
 *     namespace within {@link ExecutionPolicy#dedupWindow()} returns {@code Duplicate} carrying the first id
 * @param delayUntil optional earliest claim time; the later of this and creation + policy delay applies
 */
public record CreateExecution(
        ExecutionId executionId,
        String kind,
        LaneId lane,
        Namespace namespace,
        Payload payload,
        ExecutionPolicy policy,
        Map<String, String> tags,
        String idempotencyKey,
        Instant delayUntil) {

    public CreateExecution {
        Validate.text(kind, "execution kind", 128);
        Validate.required(lane, "lane");
        namespace = namespace == null ? Namespace.DEFAULT : namespace;
        payload = payload == null ? Payload.EMPTY : payload;
        policy = policy == null ? ExecutionPolicy.DEFAULT : policy;
        tags = Tags.copyOf(tags);
        if (idempotencyKey != null) {
            Validate.text(idempotencyKey, "idempotency key", 256);
        }
    }

    /** A request with default namespace, policy and no tags. */
    public static CreateExecution of(String kind, LaneId lane, Payload payload) {
        return new CreateExecution(null, kind, lane, null, payload, null, null, null, null);
    }

    public CreateExecution withExecutionId(ExecutionId value) {
        return new CreateExecution(value, kind, lane, namespace, payload, policy, tags, idempotencyKey, delayUntil);
    }

    public CreateExecution withNamespace(Namespace value) {
        return new CreateExecution(executionId, kind, lane, value, payload, policy, tags, idempotencyKey, delayUntil);
    }

    public CreateExecution withPolicy(ExecutionPolicy value) {
        return new CreateExecution(executionId, kind, lane, namespace, payload, value, tags, idempotencyKey, delayUntil);
    }

    public CreateExecution withPriority(int value) {
        return withPolicy(policy.withPriority(value));
    }

    public CreateExecution withRetry(RetryPolicy value) {
        return withPolicy(policy.withRetry(value));
    }

    public CreateExecution withTags(Map<String, String> value) {
        return new CreateExecution(executionId, kind, lane, namespace, payload, policy, value, idempotencyKey, delayUntil);
    }

    public CreateExecution withTag(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(tags);
        copy.put(key, value);
        return withTags(copy);
    }

    public CreateExecution withIdempotencyKey(String value) {
        return new CreateExecution(executionId, kind, lane, namespace, payload, policy, tags, value, delayUntil);
    }

    public CreateExecution withDelayUntil(Instant value) {
        return new CreateExecution(executionId, kind, lane, namespace, payload, policy, tags, idempotencyKey, value);
    }
}
