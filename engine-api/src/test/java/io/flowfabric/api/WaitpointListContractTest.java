package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.signal.CreateWaitpoint;
import io.flowfabric.api.signal.IssuedWaitpoint;
import io.flowfabric.api.signal.ListOpenWaitpoints;
import io.flowfabric.api.signal.WaitpointInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Contract: an execution's open waitpoints in keyset pages, with kid and fingerprint but never the token. */
public abstract class WaitpointListContractTest extends ContractSupport {

    @BeforeAll
    void seedKey() {
        engine.signals().seedSigningKey("list-key", "000102030405060708090a0b0c0d0e0f").block(TIMEOUT);
    }

    private Page<WaitpointInfo> page(ListOpenWaitpoints request) {
        return engine.signals().listOpenWaitpoints(request).block(TIMEOUT);
    }

    /**
     * {@code count} pending waitpoints of one claimed execution; the clock advances after every third, so
     * some share a creation time and are ordered by id alone. Returns them by waitpoint id.
     */
    private Map<UUID, IssuedWaitpoint> pendingWaitpoints(ClaimedExecution held, int count, Map<UUID, Instant> created) {
        Map<UUID, IssuedWaitpoint> issued = new HashMap<>();
        for (int i = 0; i < count; i++) {
            IssuedWaitpoint waitpoint = engine.signals().createWaitpoint(new CreateWaitpoint(held.executionId(),
                    held.fence(), "wp-" + i, null)).block(TIMEOUT);
            issued.put(waitpoint.waitpointId(), waitpoint);
            created.put(waitpoint.waitpointId(), Instant.ofEpochMilli(clock.millis()));
            if (i % 3 == 2) {
                clock.advance(Duration.ofMillis(1));
            }
        }
        return issued;
    }

    /** Creation time, then the id as PostgreSQL and SQLite compare it: its canonical lower-case text. */
    private static List<UUID> inListOrder(Map<UUID, Instant> created) {
        return created.keySet().stream().sorted(Comparator.<UUID, Instant>comparing(created::get)
                .thenComparing(UUID::toString)).toList();
    }

    @Test
    void threePagesListEveryOpenWaitpointOnceInOrder() {
        ExecutionId id = create("k");
        ClaimedExecution held = claim();
        Map<UUID, Instant> created = new HashMap<>();
        Map<UUID, IssuedWaitpoint> issued = pendingWaitpoints(held, 8, created);
        create("other");
        ClaimedExecution other = claim();
        pendingWaitpoints(other, 2, new HashMap<>());

        List<WaitpointInfo> listed = new ArrayList<>();
        Page<WaitpointInfo> first = page(ListOpenWaitpoints.of(id).withLimit(3));
        Page<WaitpointInfo> second = page(ListOpenWaitpoints.of(id).withLimit(3).withCursor(first.nextCursor()));
        Page<WaitpointInfo> third = page(ListOpenWaitpoints.of(id).withLimit(3).withCursor(second.nextCursor()));
        for (Page<WaitpointInfo> p : List.of(first, second, third)) {
            listed.addAll(p.items());
        }

        assertThat(List.of(first.items().size(), second.items().size(), third.items().size())).containsExactly(3, 3, 2);
        assertThat(first.nextCursor()).isNotNull();
        assertThat(second.nextCursor()).isNotNull().isNotEqualTo(first.nextCursor());
        assertThat(third.nextCursor()).as("a page shorter than the limit is the last").isNull();
        assertThat(listed).extracting(WaitpointInfo::waitpointId).containsExactlyElementsOf(inListOrder(created));
        for (WaitpointInfo info : listed) {
            IssuedWaitpoint waitpoint = issued.get(info.waitpointId());
            assertThat(info.state()).isEqualTo("pending");
            assertThat(info.waitpointKey()).isEqualTo(waitpoint.waitpointKey());
            assertThat(info.createdAt()).isEqualTo(created.get(info.waitpointId()));
            assertThat(info.tokenKid()).isEqualTo(waitpoint.token().kid());
            assertThat(info.tokenFingerprint()).isEqualTo(waitpoint.token().fingerprint());
        }
        for (IssuedWaitpoint waitpoint : issued.values()) {
            String digest = waitpoint.token().digestHex();
            assertThat(listed).allSatisfy(info -> assertThat(info.toString()).doesNotContain(digest)
                    .doesNotContain(digest.substring(16)));
            assertThat(List.of(first.nextCursor(), second.nextCursor())).allSatisfy(cursor ->
                    assertThat(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8))
                            .doesNotContain(digest.substring(16)));
        }
    }

    @Test
    void aFullLastPageIsFollowedByAnEmptyPage() {
        ExecutionId id = create("k");
        Map<UUID, Instant> created = new HashMap<>();
        pendingWaitpoints(claim(), 4, created);

        Page<WaitpointInfo> first = page(ListOpenWaitpoints.of(id).withLimit(2));
        Page<WaitpointInfo> second = page(ListOpenWaitpoints.of(id).withLimit(2).withCursor(first.nextCursor()));
        Page<WaitpointInfo> after = page(ListOpenWaitpoints.of(id).withLimit(2).withCursor(second.nextCursor()));

        assertThat(second.nextCursor()).isNotNull();
        assertThat(after.items()).isEmpty();
        assertThat(after.nextCursor()).isNull();
        assertThat(page(ListOpenWaitpoints.of(id).withLimit(0))).isEqualTo(new Page<WaitpointInfo>(List.of(), null));
        assertThat(page(ListOpenWaitpoints.of(id).withLimit(ListOpenWaitpoints.MAX_LIMIT)).items())
                .extracting(WaitpointInfo::waitpointId).containsExactlyElementsOf(inListOrder(created));
    }

    @Test
    void malformedCursorsAreValidationErrors() {
        ExecutionId id = create("k");
        pendingWaitpoints(claim(), 1, new HashMap<>());
        String executionsCursor = executions().list(ListExecutions.all().withLane(lane).withLimit(1)).block(TIMEOUT)
                .nextCursor();
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        List<String> malformed = List.of("not a cursor", "", executionsCursor,
                base64.encodeToString("w1:12:not-a-uuid".getBytes(StandardCharsets.UTF_8)),
                base64.encodeToString(("w2:12:" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8)),
                base64.encodeToString(("w1:12:" + UUID.randomUUID() + ":x").getBytes(StandardCharsets.UTF_8)));

        for (String cursor : malformed) {
            StepVerifier.create(engine.signals().listOpenWaitpoints(ListOpenWaitpoints.of(id).withCursor(cursor)))
                    .expectErrorSatisfies(e -> assertThat(e).as(cursor).isInstanceOfSatisfying(
                            ValidationException.class,
                            v -> assertThat(v.kind()).isEqualTo(ValidationException.Kind.INVALID_CURSOR)))
                    .verify(TIMEOUT);
        }
    }

    @Test
    void badRequestsAndUnknownExecutionsAreTypedErrors() {
        ExecutionId id = create("k");
        assertThatThrownBy(() -> ListOpenWaitpoints.of(id).withLimit(-1)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ListOpenWaitpoints.of(id).withLimit(ListOpenWaitpoints.MAX_LIMIT + 1))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ListOpenWaitpoints.of(null)).isInstanceOf(ValidationException.class);
        assertThat(page(ListOpenWaitpoints.of(id))).isEqualTo(new Page<WaitpointInfo>(List.of(), null));
        StepVerifier.create(engine.signals().listOpenWaitpoints(ListOpenWaitpoints.of(ExecutionId.solo(lane))))
                .expectError(NotFoundException.class).verify(TIMEOUT);
    }
}
