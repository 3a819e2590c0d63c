package io.flowfabric.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.policy.Backoff;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.policy.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * JSON forms of the policy, tags and capability list as stored in {@code policy_json}, {@code tags_json}
 * and the SQLite capability column. Unset optional policy fields are omitted, never written as null.
 * Durations are stored in milliseconds under {@code *_ms} names.
 */
public final class PolicyCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PolicyCodec() {
    }

    public static String encodePolicy(ExecutionPolicy policy) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("priority", policy.priority());
        node.put("delay_ms", policy.delay().toMillis());
        if (policy.retry() != null) {
            node.set("retry", encodeRetry(policy.retry()));
        }
        putMillis(node, "attempt_timeout_ms", policy.attemptTimeout());
        putMillis(node, "execution_deadline_ms", policy.executionDeadline());
        node.put("max_reclaim_count", policy.maxReclaimCount());
        node.put("max_replay_count", policy.maxReplayCount());
        if (!policy.requiredCapabilities().isEmpty()) {
            ArrayNode caps = node.putArray("required_capabilities");
            policy.requiredCapabilities().forEach(caps::add);
        }
        node.put("dedup_window_ms", policy.dedupWindow().toMillis());
        return node.toString();
    }

    /**
     * Decodes a stored policy.
     *
     * @throws ValidationException ({@code INVALID_POLICY}) when the JSON is malformed
     */
    public static ExecutionPolicy decodePolicy(String json) {
        JsonNode node = parse(json);
        RetryPolicy retry = node.has("retry") ? decodeRetry(node.get("retry")) : null;
        TreeSet<String> caps = new TreeSet<>();
        node.path("required_capabilities").forEach(c -> caps.add(c.asText()));
        return new ExecutionPolicy(
                node.path("priority").asInt(0),
                Duration.ofMillis(node.path("delay_ms").asLong(0)),
                retry,
                millis(node, "attempt_timeout_ms"),
                millis(node, "execution_deadline_ms"),
                node.path("max_reclaim_count").asInt(ExecutionPolicy.DEFAULT_MAX_RECLAIM_COUNT),
                node.path("max_replay_count").asInt(ExecutionPolicy.DEFAULT_MAX_REPLAY_COUNT),
                caps,
                millis(node, "dedup_window_ms"));
    }

    public static String encodeTags(Map<String, String> tags) {
        try {
            return MAPPER.writeValueAsString(tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("tags are not serialisable", e);
        }
    }

    public static Map<String, String> decodeTags(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<java.util.TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "stored tags are not JSON: " + e);
        }
    }

    /** A JSON array of strings, as the SQLite backend stores capability lists. */
    public static String encodeStrings(List<String> values) {
        ArrayNode array = MAPPER.createArrayNode();
        values.forEach(array::add);
        return array.toString();
    }

    public static List<String> decodeStrings(String json) {
        try {
            return List.copyOf(MAPPER.readValue(json, new TypeReference<List<String>>() { }));
        } catch (JsonProcessingException e) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "not a JSON string array: " + e);
        }
    }

    private static ObjectNode encodeRetry(RetryPolicy retry) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("max_retries", retry.maxRetries());
        ObjectNode backoff = node.putObject("backoff");
        if (retry.backoff() instanceof Backoff.Fixed fixed) {
            backoff.put("type", "fixed");
            backoff.put("delay_ms", fixed.delay().toMillis());
        } else if (retry.backoff() instanceof Backoff.Exponential exp) {
            backoff.put("type", "exponential");
            backoff.put("initial_delay_ms", exp.initial().toMillis());
            backoff.put("multiplier", exp.multiplier());
            backoff.put("max_delay_ms", exp.max().toMillis());
        }
        if (retry.jitter() > 0) {
            node.put("jitter", retry.jitter());
        }
        return node;
    }

    private static RetryPolicy decodeRetry(JsonNode node) {
        JsonNode backoff = node.path("backoff");
        Backoff decoded = switch (backoff.path("type").asText("fixed")) {
            case "exponential" -> new Backoff.Exponential(
                    Duration.ofMillis(backoff.path("initial_delay_ms").asLong(1000)),
                    backoff.path("multiplier").asDouble(2.0),
                    Duration.ofMillis(backoff.path("max_delay_ms").asLong(60_000)));
            case "fixed" -> new Backoff.Fixed(Duration.ofMillis(backoff.path("delay_ms").asLong(1000)));
            default -> throw new ValidationException(ValidationException.Kind.INVALID_POLICY,
                    "unknown backoff type: " + backoff.path("type").asText());
        };
        return new RetryPolicy(node.path("max_retries").asInt(3), decoded, node.path("jitter").asDouble(0.0));
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new ValidationException(ValidationException.Kind.INVALID_POLICY, "policy is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ValidationException(ValidationException.Kind.INVALID_POLICY, "policy is not JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static void putMillis(ObjectNode node, String field, Duration value) {
        if (value != null) {
            node.put(field, value.toMillis());
        }
    }

    private static Duration millis(JsonNode node, String field) {
        return node.has(field) ? Duration.ofMillis(node.get(field).asLong()) : null;
    }
}
