package io.flowfabric.api;

import io.flowfabric.api.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Immutable bytes carried by an execution (its input) or produced by it (its result). At most
 * {@link #MAX_BYTES} bytes (1 MiB); a larger payload is a {@code PAYLOAD_TOO_LARGE} validation error.
 * The engine does not interpret the bytes; JSON text in UTF-8 is the usual content.
 */
public final class Payload {
    /** The largest payload or result accepted: 1 MiB. */
    public static final int MAX_BYTES = 1 << 20;

    /** The empty payload. */
    public static final Payload EMPTY = new Payload(new byte[0]);

    private final byte[] bytes;

    private Payload(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new ValidationException(ValidationException.Kind.PAYLOAD_TOO_LARGE,
                    "payload is " + bytes.length + " bytes; the limit is " + MAX_BYTES);
        }
        this.bytes = bytes;
    }

    /** A payload holding a copy of {@code bytes}. */
    public static Payload of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return bytes.length == 0 ? EMPTY : new Payload(bytes.clone());
    }

    /** A payload holding {@code text} encoded as UTF-8. */
    public static Payload utf8(String text) {
        Objects.requireNonNull(text, "text");
        return text.isEmpty() ? EMPTY : new Payload(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes decoded as UTF-8. */
    public String asUtf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public int size() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload p && Arrays.equals(bytes, p.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Payload[" + bytes.length + " bytes]";
    }
}
