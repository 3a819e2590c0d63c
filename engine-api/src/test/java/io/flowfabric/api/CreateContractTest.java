package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Contract: creating executions, idempotency, validation and the read side (describe, list, result). */
public abstract class CreateContractTest extends ContractSupport {

    @Test
    void createdExecutionIsWaitingWithCanonicalState() {
        ExecutionId id = create("kind-a");
        ExecutionSnapshot snapshot = describe(id);
        assertState(id, Transition.CREATE_ELIGIBLE);
        assertThat(snapshot.publicState()).isEqualTo(PublicState.WAITING);
        assertThat(snapshot.kind()).isEqualTo("kind-a");
        assertThat(snapshot.lane()).isEqualTo(lane);
        assertThat(snapshot.namespace()).isEqualTo(Namespace.DEFAULT);
        assertThat(snapshot.createdAt()).isEqualTo(clock.instant());
        assertThat(snapshot.currentAttemptIndex()).isNull();
        assertThat(snapshot.attempts()).isEmpty();
        assertThat(snapshot.currentLease()).isNull();
    }

    @Test
    void sameIdTwiceIsDuplicateAndChangesNothing() {
        ExecutionId id = ExecutionId.solo(lane);
        create(CreateExecution.of("first", lane, Payload.utf8("one")).withExecutionId(id).withPriority(5));
        CreateResult again = executions().create(
                CreateExecution.of("second", lane, Payload.utf8("two")).withExecutionId(id).withPriority(7))
                .block(TIMEOUT);
        assertThat(again).isEqualTo(new CreateResult.Duplicate(id));
        ExecutionSnapshot snapshot = describe(id);
        assertThat(snapshot.kind()).isEqualTo("first");
        assertThat(snapshot.priority()).isEqualTo(5);
    }

    @Test
    void idempotencyKeyInsideWindowReturnsFirstId() {
        CreateExecution request = CreateExecution.of("k", lane, Payload.utf8("x")).withIdempotencyKey("order-42");
        ExecutionId first = create(request);
        CreateResult second = executions().create(request).block(TIMEOUT);
        assertThat(second).isEqualTo(new CreateResult.Duplicate(first));
        assertThat(executions().list(ListExecutions.all().withLane(lane)).block(TIMEOUT).items()).hasSize(1);
    }

    @Test
    void idempotencyKeyIsForgottenAfterTheWindow() {
        CreateExecution request = CreateExecution.of("k", lane, Payload.utf8("x"))
                .withIdempotencyKey("key-" + lane.value())
                .withPolicy(ExecutionPolicy.DEFAULT.withDedupWindow(Duration.ofMinutes(5)));
        ExecutionId first = create(request);
        clock.advance(Duration.ofMinutes(5));
        CreateResult later = executions().create(request).block(TIMEOUT);
        assertThat(later).isInstanceOf(CreateResult.Created.class);
        assertThat(later.executionId()).isNotEqualTo(first);
    }

    @Test
    void idempotencyKeysAreScopedByNamespace() {
        String key = "shared-" + lane.value();
        create(CreateExecution.of("k", lane, Payload.EMPTY).withIdempotencyKey(key));
        CreateResult other = executions().create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withIdempotencyKey(key).withNamespace(Namespace.of("tenant-b"))).block(TIMEOUT);
        assertThat(other).isInstanceOf(CreateResult.Created.class);
    }

    @Test
    void futureDelayMakesItDelayedAndUnclaimable() {
        Instant until = clock.instant().plusSeconds(60);
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.EMPTY).withDelayUntil(until));
        assertState(id, Transition.CREATE_DELAYED);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.DELAYED);
        assertThat(describe(id).eligibleAt()).isEqualTo(until);
        StepVerifier.create(leases().claim(claimRequest())).verifyComplete();
        clock.advance(Duration.ofSeconds(60));
        assertThat(describe(id).publicState()).isEqualTo(PublicState.WAITING);
        assertThat(claim().executionId()).isEqualTo(id);
    }

    @Test
    void policyDelayDelaysTheExecution() {
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withPolicy(ExecutionPolicy.DEFAULT.withDelay(Duration.ofSeconds(10))));
        assertThat(describe(id).publicState()).isEqualTo(PublicState.DELAYED);
        assertThat(describe(id).eligibleAt()).isEqualTo(clock.instant().plusSeconds(10));
    }

    @Test
    void priorityIsClampedToRange() {
        ExecutionId high = create(CreateExecution.of("k", lane, Payload.EMPTY).withPriority(50_000));
        ExecutionId low = create(CreateExecution.of("k", lane, Payload.EMPTY).withPriority(-5));
        assertThat(describe(high).priority()).isEqualTo(9000);
        assertThat(describe(low).priority()).isEqualTo(0);
    }

    @Test
    void policyTagsAndPayloadRoundTrip() {
        RetryPolicy retry = RetryPolicy.exponential(4, Duration.ofMillis(250), Duration.ofSeconds(8)).withJitter(0.2);
        ExecutionPolicy policy = ExecutionPolicy.DEFAULT.withRetry(retry).withPriority(12)
                .withAttemptTimeout(Duration.ofMinutes(2)).withExecutionDeadline(Duration.ofHours(1))
                .withMaxReclaimCount(7).withRequiredCapabilities(Set.of("gpu", "linux"));
        Map<String, String> tags = Map.of("app.user", "ada", "app.run_id", "r-1");
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.utf8("héllo")).withPolicy(policy).withTags(tags));
        ExecutionSnapshot snapshot = describe(id);
        assertThat(snapshot.policy()).isEqualTo(policy);
        assertThat(snapshot.tags()).isEqualTo(tags);
        assertThat(snapshot.deadlineAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        ClaimedExecution claimed = leases().claim(claimRequest().withCapabilities(Set.of("gpu", "linux", "x")))
                .block(TIMEOUT);
        assertThat(claimed.payload().asUtf8()).isEqualTo("héllo");
        assertThat(claimed.tags()).isEqualTo(tags);
    }

    @Test
    void badInputIsRejectedWithTypedErrorsAndWritesNothing() {
        assertValidation(() -> LaneId.of(""), ValidationException.Kind.INVALID_LANE);
        assertValidation(() -> LaneId.of("x".repeat(65)), ValidationException.Kind.INVALID_LANE);
        assertValidation(() -> LaneId.of("tab\there"), ValidationException.Kind.INVALID_LANE);
        assertValidation(() -> ExecutionId.parse("nope"), ValidationException.Kind.INVALID_ID);
        assertValidation(() -> ExecutionId.parse("{fp:999}:" + UUID.randomUUID()), ValidationException.Kind.INVALID_ID);
        assertValidation(() -> ExecutionId.parse("{fp:1}:not-a-uuid"), ValidationException.Kind.INVALID_ID);
        assertValidation(() -> CreateExecution.of("k", lane, Payload.EMPTY).withTag("NoDot", "v"),
                ValidationException.Kind.INVALID_TAG_KEY);
        assertValidation(() -> ExecutionPolicy.DEFAULT.withDelay(Duration.ofSeconds(-1)),
                ValidationException.Kind.INVALID_DELAY);
        assertValidation(() -> ExecutionPolicy.DEFAULT.withDelay(Duration.ofDays(400)),
                ValidationException.Kind.INVALID_DELAY);
        assertValidation(() -> RetryPolicy.fixed(-1, Duration.ofSeconds(1)), ValidationException.Kind.INVALID_POLICY);
        assertValidation(() -> RetryPolicy.exponential(3, Duration.ofSeconds(10), Duration.ofSeconds(1)),
                ValidationException.Kind.INVALID_POLICY);
        assertValidation(() -> ExecutionPolicy.DEFAULT.withRequiredCapabilities(Set.of("a,b")),
                ValidationException.Kind.INVALID_CAPABILITIES);
        assertValidation(() -> Payload.of(new byte[Payload.MAX_BYTES + 1]), ValidationException.Kind.PAYLOAD_TOO_LARGE);
        assertValidation(() -> CreateExecution.of("", lane, Payload.EMPTY), ValidationException.Kind.INVALID_INPUT);
        StepVerifier.create(executions().create(CreateExecution.of("k", lane, Payload.EMPTY)
                        .withDelayUntil(clock.instant().plus(Duration.ofDays(3650)))))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ValidationException.class)
                        .extracting(x -> ((ValidationException) x).kind()).isEqualTo(ValidationException.Kind.INVALID_DELAY))
                .verify(TIMEOUT);
        assertThat(executions().list(ListExecutions.all().withLane(lane)).block(TIMEOUT).items()).isEmpty();
    }

    @Test
    void unknownExecutionIsNotFound() {
        ExecutionId missing = ExecutionId.solo(lane);
        StepVerifier.create(executions().describe(missing)).expectError(NotFoundException.class).verify(TIMEOUT);
        StepVerifier.create(executions().result(missing)).expectError(NotFoundException.class).verify(TIMEOUT);
        StepVerifier.create(executions().cancel(new CancelExecution(missing, "x")))
                .expectError(NotFoundException.class).verify(TIMEOUT);
    }

    @Test
    void resultIsEmptyUntilCompleted() {
        ExecutionId id = create("k");
        StepVerifier.create(executions().result(id)).verifyComplete();
        ClaimedExecution claimed = claim();
        leases().complete(CompleteExecution.of(claimed, Payload.utf8("{\"ok\":true}"))).block(TIMEOUT);
        assertThat(executions().result(id).block(TIMEOUT).asUtf8()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void listPagesAreStableAndComplete() {
        List<ExecutionId> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(create("k"));
            clock.advance(Duration.ofMillis(i % 2));
        }
        List<ExecutionId> seen = new ArrayList<>();
        ListExecutions request = ListExecutions.all().withLane(lane).withLimit(3);
        Page<ExecutionSummary> page = executions().list(request).block(TIMEOUT);
        seen.addAll(page.items().stream().map(ExecutionSummary::executionId).toList());
        create("k");
        while (page.nextCursor() != null) {
            page = executions().list(request.withCursor(page.nextCursor())).block(TIMEOUT);
            seen.addAll(page.items().stream().map(ExecutionSummary::executionId).toList());
        }
        assertThat(seen).hasSize(8).doesNotHaveDuplicates().containsAll(created);
        assertThat(executions().list(request.withLimit(0)).block(TIMEOUT).items()).isEmpty();
    }

    @Test
    void listFiltersByLaneNamespaceAndPublicState() {
        ExecutionId waiting = create("k");
        ExecutionId delayed = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withDelayUntil(clock.instant().plusSeconds(30)));
        ExecutionId otherNs = create(CreateExecution.of("k", lane, Payload.EMPTY).withNamespace(Namespace.of("ns-2")));
        assertThat(ids(ListExecutions.all().withLane(lane).withPublicState(PublicState.WAITING)))
                .containsExactlyInAnyOrder(waiting, otherNs);
        assertThat(ids(ListExecutions.all().withLane(lane).withPublicState(PublicState.DELAYED)))
                .containsExactly(delayed);
        assertThat(ids(ListExecutions.all().withLane(lane).withNamespace(Namespace.of("ns-2"))))
                .containsExactly(otherNs);
        clock.advance(Duration.ofSeconds(30));
        assertThat(ids(ListExecutions.all().withLane(lane).withPublicState(PublicState.WAITING)))
                .containsExactlyInAnyOrder(waiting, delayed, otherNs);
        assertThat(ids(ListExecutions.all().withLane(LaneId.of("no-such-lane")))).isEmpty();
    }

    @Test
    void malformedCursorIsValidationError() {
        StepVerifier.create(executions().list(ListExecutions.all().withCursor("garbage!")))
                .expectErrorSatisfies(e -> assertThat(((ValidationException) e).kind())
                        .isEqualTo(ValidationException.Kind.INVALID_CURSOR))
                .verify(TIMEOUT);
    }

    @Test
    void newExecutionHasPendingFirstAttempt() {
        assertThat(describe(create("k")).state().attemptState()).isEqualTo(AttemptState.PENDING_FIRST_ATTEMPT);
    }

    private List<ExecutionId> ids(ListExecutions request) {
        return executions().list(request).block(TIMEOUT).items().stream().map(ExecutionSummary::executionId).toList();
    }

    private static void assertValidation(Runnable action, ValidationException.Kind kind) {
        assertThatThrownBy(action::run).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).kind()).isEqualTo(kind));
    }
}
