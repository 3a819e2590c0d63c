package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdentityTest {

    @Test
    void crc16XmodemMatchesTheStandardCheckValue() {
        assertThat(Crc16.xmodem("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x31C3);
    }

    @Test
    void executionIdRoundTripsThroughText() {
        ExecutionId id = ExecutionId.solo(LaneId.of("default"));
        assertThat(id.toString()).startsWith("{fp:" + id.partition() + "}:");
        assertThat(ExecutionId.parse(id.toString())).isEqualTo(id);
    }

    @Test
    void mintedIdsAreVersion7AndSortInMintingOrder() {
        LaneId lane = LaneId.of("default");
        long before = System.currentTimeMillis();
        List<String> minted = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ExecutionId id = ExecutionId.solo(lane);
            assertThat(id.uuid().version()).isEqualTo(7);
            assertThat(id.uuid().variant()).isEqualTo(2);
            minted.add(id.uuid().toString());
        }
        long after = System.currentTimeMillis();
        assertThat(minted).doesNotHaveDuplicates().isSorted();
        long firstMs = UUID.fromString(minted.get(0)).getMostSignificantBits() >>> 16;
        assertThat(firstMs).isBetween(before, after);
    }

    @Test
    void soloPartitionIsCrc16OfLaneModulo256() {
        UUID uuid = UUID.randomUUID();
        int expected = Crc16.xmodem("emails".getBytes(StandardCharsets.UTF_8)) % 256;
        assertThat(ExecutionId.solo(LaneId.of("emails"), uuid).partition()).isEqualTo(expected);
        assertThat(ExecutionId.solo(LaneId.of("emails"), uuid)).isEqualTo(ExecutionId.solo(LaneId.of("emails"), uuid));
    }

    @Test
    void malformedExecutionIdsAreRejected() {
        for (String bad : new String[] {"", "abc", "{fp:x}:" + UUID.randomUUID(), "{fp:256}:" + UUID.randomUUID(),
                "{fp:-1}:" + UUID.randomUUID(), "{fp:1}" + UUID.randomUUID(), "{fp:1}:1-1-1-1-1"}) {
            assertThatThrownBy(() -> ExecutionId.parse(bad)).as(bad).isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void laneIdsArePrintableAsciiUpTo64() {
        assertThat(LaneId.of("x".repeat(64)).value()).hasSize(64);
        assertThat(LaneId.of(" ~").value()).isEqualTo(" ~");
        assertThatThrownBy(() -> LaneId.of("é")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> LaneId.of(null)).isInstanceOf(ValidationException.class);
    }

    @Test
    void tagKeysMustBeCallerNamespaced() {
        assertThat(Tags.requireKey("cairn.session_id")).isEqualTo("cairn.session_id");
        assertThat(Tags.requireKey("a.b.c")).isEqualTo("a.b.c");
        for (String bad : new String[] {"nodot", "Upper.case", "1a.b", "a.", ".a", "a-b.c"}) {
            assertThatThrownBy(() -> Tags.requireKey(bad)).as(bad).isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void capabilityTokensAreValidatedAndMatchedAsSubset() {
        assertThat(Capabilities.copyOf(java.util.Set.of("b", "a"))).containsExactly("a", "b");
        assertThatThrownBy(() -> Capabilities.copyOf(java.util.Set.of("has space")))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Capabilities.copyOf(java.util.Set.of(""))).isInstanceOf(ValidationException.class);
        assertThat(Capabilities.satisfies(java.util.Set.of("a", "b"), java.util.Set.of("a"))).isTrue();
        assertThat(Capabilities.satisfies(java.util.Set.of("A"), java.util.Set.of("a"))).isFalse();
    }

    @Test
    void fenceNeedsAllThreeParts() {
        assertThatThrownBy(() -> new LeaseFence(null, 1, AttemptId.random()))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).kind())
                        .isEqualTo(ValidationException.Kind.FENCE_REQUIRED));
        assertThatThrownBy(() -> new LeaseFence(LeaseId.random(), 0, AttemptId.random()))
                .isInstanceOf(ValidationException.class);
    }
}
