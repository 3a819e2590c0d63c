package io.flowfabric.examples.quickstart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowfabric.api.Payload;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON payloads and results of the quickstart's executions. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
    }

    static Payload write(Object value) {
        try {
            return Payload.of(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(Payload payload, Class<T> type) {
        try {
            return MAPPER.readValue(payload.bytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("malformed " + type.getSimpleName() + " payload", e);
        }
    }
}
