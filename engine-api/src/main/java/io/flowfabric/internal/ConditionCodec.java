package io.flowfabric.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfabric.api.signal.ResumeCondition;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON form of resume conditions as stored in {@code ff_suspension.condition_json}:
 * {@code {"single":{"key":..,"name":..}}}, {@code {"all_of":[..]}}, {@code {"any_of":[..]}},
 * {@code {"count":{"n":..,"kind":..,"keys":[..],"name":..}}}; an absent name matches any signal.
 */
final class ConditionCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConditionCodec() {
    }

    static String encode(ResumeCondition condition) {
        return toNode(condition).toString();
    }

    static ResumeCondition decode(String json) {
        try {
            return fromNode(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored resume condition is not JSON", e);
        }
    }

    private static ObjectNode toNode(ResumeCondition condition) {
        ObjectNode node = MAPPER.createObjectNode();
        if (condition instanceof ResumeCondition.Single s) {
            ObjectNode single = node.putObject("single");
            single.put("key", s.waitpointKey());
            if (s.signalName() != null) {
                single.put("name", s.signalName());
            }
        } else if (condition instanceof ResumeCondition.AllOf all) {
            ArrayNode members = node.putArray("all_of");
            all.members().forEach(m -> members.add(toNode(m)));
        } else if (condition instanceof ResumeCondition.AnyOf any) {
            ArrayNode members = node.putArray("any_of");
            any.members().forEach(m -> members.add(toNode(m)));
        } else if (condition instanceof ResumeCondition.Count c) {
            ObjectNode count = node.putObject("count");
            count.put("n", c.n());
            count.put("kind", c.kind().name());
            ArrayNode keys = count.putArray("keys");
            c.waitpointKeys().forEach(keys::add);
            if (c.signalName() != null) {
                count.put("name", c.signalName());
            }
        }
        return node;
    }

    private static ResumeCondition fromNode(JsonNode node) {
        if (node.has("single")) {
            JsonNode s = node.get("single");
            return new ResumeCondition.Single(s.get("key").asText(), s.has("name") ? s.get("name").asText() : null);
        }
        if (node.has("all_of")) {
            return new ResumeCondition.AllOf(members(node.get("all_of")));
        }
        if (node.has("any_of")) {
            return new ResumeCondition.AnyOf(members(node.get("any_of")));
        }
        JsonNode c = node.get("count");
        List<String> keys = new ArrayList<>();
        c.get("keys").forEach(k -> keys.add(k.asText()));
        return new ResumeCondition.Count(c.get("n").asInt(), ResumeCondition.CountKind.valueOf(c.get("kind").asText()),
                keys, c.has("name") ? c.get("name").asText() : null);
    }

    private static List<ResumeCondition> members(JsonNode array) {
        List<ResumeCondition> members = new ArrayList<>();
        array.forEach(m -> members.add(fromNode(m)));
        return members;
    }
}
