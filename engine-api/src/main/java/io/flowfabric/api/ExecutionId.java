package io.flowfabric.api;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.flowfabric.api.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Identifies an execution. The id carries its partition, so the partition is always read back from the
 * id and never recomputed. Text form: {@code {fp:N}:<uuid>}, with N in [0, {@value #PARTITIONS}).
 *
 * @param partition the partition index, {@code partition_key} in the schema
 * @param uuid the unique part
 */
public record ExecutionId(int partition, UUID uuid) {
    /** Number of execution partitions. */
    public static final int PARTITIONS = 256;

    private static final TimeBasedEpochGenerator TIME_ORDERED = Generators.timeBasedEpochGenerator();

    public ExecutionId {
        Objects.requireNonNull(uuid, "uuid");
        if (partition < 0 || partition >= PARTITIONS) {
            throw new ValidationException(ValidationException.Kind.INVALID_ID,
                    "partition must be in [0, " + PARTITIONS + "): " + partition);
        }
    }

    /**
     * A new id for an execution outside any flow; its partition is CRC16(lane bytes) mod 256. The UUID is a
     * version 7 UUID (RFC 9562): a millisecond Unix timestamp, then random bits that increase within a
     * millisecond, so ids minted later in this JVM sort after earlier ones (as UUIDs and as text). Index
     * pages keyed by execution id then fill in creation order instead of at random, which keeps the pages a
     * batch of recent executions touches few and shared.
     */
    public static ExecutionId solo(LaneId lane) {
        return solo(lane, TIME_ORDERED.generate());
    }

    /** A deterministic id for an execution outside any flow, from a caller-chosen UUID. */
    public static ExecutionId solo(LaneId lane, UUID uuid) {
        Objects.requireNonNull(lane, "lane");
        return new ExecutionId(Crc16.xmodem(lane.value().getBytes(StandardCharsets.UTF_8)) % PARTITIONS, uuid);
    }

    /**
     * Parses the text form {@code {fp:N}:<uuid>}.
     *
     * @throws ValidationException ({@code INVALID_ID}) when the hash tag, N or the UUID is malformed
     */
    public static ExecutionId parse(String text) {
        if (text == null || !text.startsWith("{fp:")) {
            throw invalid(text, "missing {fp:N} hash tag");
        }
        int close = text.indexOf("}:");
        if (close < 0) {
            throw invalid(text, "missing '}:' after the partition");
        }
        int partition;
        try {
            partition = Integer.parseInt(text.substring(4, close));
        } catch (NumberFormatException e) {
            throw invalid(text, "partition is not a number");
        }
        if (partition < 0 || partition >= PARTITIONS) {
            throw invalid(text, "partition out of range");
        }
        String uuidText = text.substring(close + 2);
        if (uuidText.length() != 36) {
            throw invalid(text, "malformed uuid");
        }
        try {
            return new ExecutionId(partition, UUID.fromString(uuidText));
        } catch (IllegalArgumentException e) {
            throw invalid(text, "malformed uuid");
        }
    }

    private static ValidationException invalid(String text, String why) {
        return new ValidationException(ValidationException.Kind.INVALID_ID, "execution id '" + text + "': " + why);
    }

    @Override
    public String toString() {
        return "{fp:" + partition + "}:" + uuid;
    }
}
