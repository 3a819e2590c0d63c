package io.flowfabric.sqlite;

import static io.flowfabric.sqlite.TestRows.LANE;
import static io.flowfabric.sqlite.TestRows.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.BlockingReason;
import io.flowfabric.api.state.EligibilityState;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.StateVector;
import io.flowfabric.api.state.TerminalOutcome;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.ListQuery;
import io.flowfabric.internal.StoreReads;
import io.flowfabric.internal.StoreTx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The store SPI against a SQLite file; {@link SqliteInMemoryStoreTest} repeats it in memory. */
class SqliteStoreTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    SqliteStore store;

    SqliteOptions options() {
        return SqliteOptions.file(dir.resolve("nested/dirs/store.db"));
    }

    @BeforeEach
    void open() {
        store = SqliteStore.open(options()).block(TIMEOUT);
    }

    @AfterEach
    void close() {
        store.close().block(TIMEOUT);
    }

    <T> T tx(Function<StoreTx, Mono<T>> work) {
        return store.inTransaction(work).block(TIMEOUT);
    }

    <T> T read(Function<StoreReads, Mono<T>> work) {
        return store.read(work).block(TIMEOUT);
    }

    void insert(ExecutionRow... rows) {
        assertThat(this.<Boolean>tx(t -> Flux.fromArray(rows).concatMap(t::insertExecution).all(Boolean::booleanValue)))
                .isTrue();
    }

    ExecutionRow find(ExecutionRow row) {
        return read(r -> r.findExecution(row.id()));
    }

    @Test
    void roundTripsEveryColumn() {
        ExecutionRow row = TestRows.full(17);
        assertThat(this.<Boolean>tx(t -> t.insertExecution(row))).isTrue();

        assertThat(find(row)).usingRecursiveComparison().isEqualTo(row);
        assertThat(this.<ExecutionRow>tx(t -> t.lockExecution(row.id()))).usingRecursiveComparison().isEqualTo(row);
    }

    @Test
    void roundTripsNullsAndEmptyValues() {
        ExecutionRow row = TestRows.runnable(0, 5);
        row.payload = new byte[0];
        row.result = null;
        insert(row);

        ExecutionRow found = find(row);
        assertThat(found).usingRecursiveComparison().isEqualTo(row);
        assertThat(found.startedAtMs).isNull();
        assertThat(found.currentAttemptIndex).isNull();
        assertThat(found.leaseId).isNull();
        assertThat(found.requiredCapabilities).isEmpty();
    }

    @Test
    void findsNothingForAnUnknownId() {
        StepVerifier.create(store.read(r -> r.findExecution(new ExecutionId(3, UUID.randomUUID()))))
                .verifyComplete();
    }

    @Test
    void duplicateInsertReturnsFalseAndKeepsTheFirstRow() {
        ExecutionRow first = TestRows.runnable(1, 10);
        insert(first);
        ExecutionRow second = TestRows.runnable(1, 20);
        second.executionId = first.executionId;
        second.executionKind = "other";

        assertThat(this.<Boolean>tx(t -> t.insertExecution(second))).isFalse();
        assertThat(find(first).executionKind).isEqualTo("kind");
    }

    @Test
    void updateWritesEveryMutableColumnAndNoFixedOne() {
        ExecutionRow row = TestRows.runnable(2, 10);
        insert(row);
        ExecutionRow original = find(row);
        ExecutionRow changed = TestRows.full(2);
        changed.executionId = row.executionId;

        tx(t -> t.updateExecution(changed));

        ExecutionRow stored = find(row);
        assertThat(stored).usingRecursiveComparison().ignoringFields(FIXED_FIELDS).ignoringFields("rowVersion")
                .isEqualTo(changed);
        assertThat(stored.rowVersion).as("every update increments the row version").isEqualTo(original.rowVersion + 1);
        assertThat(stored).usingRecursiveComparison().comparingOnlyFields(FIXED_FIELDS).isEqualTo(original);
    }

    /** The ExecutionRow fields of the columns updateExecution never writes. */
    private static final String[] FIXED_FIELDS = {"namespace", "laneId", "executionKind", "createdAtMs",
            "deadlineAtMs", "payload", "policyJson", "tagsJson", "requiredCapabilities", "idempotencyKey"};

    @Test
    void updateOfAMissingRowFails() {
        StepVerifier.create(store.inTransaction(t -> t.updateExecution(TestRows.runnable(0, 1))))
                .expectError(IllegalStateException.class)
                .verify(TIMEOUT);
    }

    @Test
    void claimsByPriorityThenAge() {
        ExecutionRow oldLow = TestRows.runnable(1, 100);
        ExecutionRow newHigh = TestRows.runnable(2, 300);
        newHigh.priority = 10;
        ExecutionRow oldHigh = TestRows.runnable(3, 200);
        oldHigh.priority = 10;
        ExecutionRow newLow = TestRows.runnable(4, 400);
        insert(newLow, oldLow, newHigh, oldHigh);

        List<ExecutionRow> claimed = tx(t -> t.lockClaimable(claim(List.of(), 1_000, 10)).collectList());

        assertThat(claimed).extracting(r -> r.executionId)
                .containsExactly(oldHigh.executionId, newHigh.executionId, oldLow.executionId, newLow.executionId);
        assertThat(this.<List<ExecutionRow>>tx(t -> t.lockClaimable(claim(List.of(), 1_000, 2)).collectList()))
                .extracting(r -> r.executionId).containsExactly(oldHigh.executionId, newHigh.executionId);
    }

    @Test
    void claimsOnlyClaimableRowsOfTheLaneNamespaceAndCapabilities() {
        ExecutionRow plain = TestRows.runnable(1, 1);
        ExecutionRow gpu = TestRows.runnable(1, 2);
        gpu.requiredCapabilities = List.of("gpu");
        ExecutionRow gpuLinux = TestRows.runnable(1, 3);
        gpuLinux.requiredCapabilities = List.of("gpu", "linux");
        ExecutionRow dueDelay = TestRows.delayed(1, 4, 500);
        ExecutionRow futureDelay = TestRows.delayed(1, 5, 501);
        ExecutionRow otherLane = TestRows.runnable(1, 6);
        otherLane.laneId = "other";
        ExecutionRow otherNamespace = TestRows.runnable(1, 7);
        otherNamespace.namespace = "other";
        ExecutionRow leased = TestRows.full(1);
        ExecutionRow blocked = TestRows.runnable(1, 8);
        blocked.setState(new StateVector(LifecyclePhase.RUNNABLE, OwnershipState.UNOWNED,
                EligibilityState.BLOCKED_BY_OPERATOR, BlockingReason.PAUSED_BY_OPERATOR, TerminalOutcome.NONE,
                AttemptState.PENDING_FIRST_ATTEMPT));
        insert(plain, gpu, gpuLinux, dueDelay, futureDelay, otherLane, otherNamespace, leased, blocked);

        assertThat(claimIds(List.of(), 500)).containsExactly(plain.executionId, dueDelay.executionId);
        assertThat(claimIds(List.of("gpu"), 500))
                .containsExactly(plain.executionId, gpu.executionId, dueDelay.executionId);
        assertThat(claimIds(List.of("gpu", "linux", "x86"), 501)).containsExactly(plain.executionId,
                gpu.executionId, gpuLinux.executionId, dueDelay.executionId, futureDelay.executionId);
    }

    @Test
    void reservesIdempotencyKeys() {
        ExecutionId first = new ExecutionId(1, UUID.randomUUID());
        ExecutionId second = new ExecutionId(2, UUID.randomUUID());
        ExecutionId third = new ExecutionId(3, UUID.randomUUID());

        assertThat(this.<ExecutionId>tx(t -> t.reserveIdempotencyKey(NAMESPACE, "k", first, 1_000, 0))).isEqualTo(first);
        assertThat(this.<ExecutionId>tx(t -> t.reserveIdempotencyKey(NAMESPACE, "k", second, 2_000, 999))).isEqualTo(first);
        assertThat(this.<ExecutionId>tx(t -> t.reserveIdempotencyKey("other", "k", second, 2_000, 999))).isEqualTo(second);
        assertThat(this.<ExecutionId>tx(t -> t.reserveIdempotencyKey(NAMESPACE, "k", third, 3_000, 1_000))).isEqualTo(third);
        assertThat(this.<ExecutionId>tx(t -> t.reserveIdempotencyKey(NAMESPACE, "k", first, 4_000, 2_999))).isEqualTo(third);
    }

    @Test
    void listsPagesInCreationOrderStrictlyAfterThePosition() {
        List<ExecutionRow> rows = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            rows.add(TestRows.runnable(i % 3, 100 + i / 2)); // pairs share created_at_ms
        }
        insert(rows.toArray(ExecutionRow[]::new));
        rows.sort(Comparator.<ExecutionRow>comparingLong(r -> r.createdAtMs)
                .thenComparingInt(r -> r.partitionKey)
                .thenComparing(r -> r.executionId.toString()));

        List<UUID> seen = new ArrayList<>();
        ExecutionRow last = null;
        for (int page = 0; page < 4; page++) {
            List<ExecutionRow> rowsOfPage = list(new ListQuery(null, null, null, 0,
                    last == null ? null : last.createdAtMs, last == null ? null : last.partitionKey,
                    last == null ? null : last.executionId, 3));
            assertThat(rowsOfPage).hasSizeLessThanOrEqualTo(3);
            rowsOfPage.forEach(r -> seen.add(r.executionId));
            last = rowsOfPage.isEmpty() ? last : rowsOfPage.get(rowsOfPage.size() - 1);
        }

        assertThat(seen).containsExactlyElementsOf(rows.stream().map(r -> r.executionId).toList());
    }

    @Test
    void listFiltersByNamespaceLaneAndPublicState() {
        ExecutionRow waiting = TestRows.runnable(0, 1);
        ExecutionRow dueDelay = TestRows.delayed(0, 2, 50);
        ExecutionRow futureDelay = TestRows.delayed(0, 3, 51);
        ExecutionRow active = TestRows.full(0);
        ExecutionRow otherLane = TestRows.runnable(0, 4);
        otherLane.laneId = "other";
        ExecutionRow otherNamespace = TestRows.runnable(0, 5);
        otherNamespace.namespace = "other";
        insert(waiting, dueDelay, futureDelay, active, otherLane, otherNamespace);

        assertThat(listIds(NAMESPACE, LANE, null)).containsExactlyInAnyOrder(waiting.executionId,
                dueDelay.executionId, futureDelay.executionId, active.executionId);
        assertThat(listIds(null, "other", null)).containsExactly(otherLane.executionId);
        assertThat(listIds("other", null, null)).containsExactly(otherNamespace.executionId);
        assertThat(listIds(NAMESPACE, null, PublicState.WAITING))
                .containsExactly(waiting.executionId, dueDelay.executionId, otherLane.executionId);
        assertThat(listIds(NAMESPACE, null, PublicState.DELAYED)).containsExactly(futureDelay.executionId);
        assertThat(listIds(null, null, PublicState.ACTIVE)).containsExactly(active.executionId);
        assertThat(listIds(null, null, PublicState.COMPLETED)).isEmpty();
    }

    @Test
    void insertsUpdatesAndFindsAttempts() {
        ExecutionRow execution = TestRows.runnable(5, 1);
        insert(execution);
        AttemptRow second = TestRows.attempt(execution, 1);
        AttemptRow first = TestRows.attempt(execution, 0);
        tx(t -> t.insertAttempt(second).then(t.insertAttempt(first)));

        assertThat(this.<AttemptRow>tx(t -> t.findAttempt(execution.id(), 1))).usingRecursiveComparison().isEqualTo(second);
        StepVerifier.create(store.inTransaction(t -> t.findAttempt(execution.id(), 2))).verifyComplete();

        first.attemptLifecycle = AttemptLifecycle.ENDED_FAILURE;
        first.endedAtMs = 20_000L;
        first.errorType = "boom";
        first.errorMessage = "it broke";
        tx(t -> t.updateAttempt(first));

        List<AttemptRow> attempts = read(r -> r.findAttempts(execution.id()).collectList());
        assertThat(attempts).extracting(a -> a.attemptIndex).containsExactly(0, 1);
        assertThat(attempts.get(0)).usingRecursiveComparison().isEqualTo(first);
        assertThat(attempts.get(1).endedAtMs).isNull();
    }

    @Test
    void readsInsideATransactionSeeItsOwnWrites() {
        ExecutionRow row = TestRows.runnable(9, 1);

        ExecutionRow seen = tx(t -> t.insertExecution(row).then(t.findExecution(row.id())));

        assertThat(seen.executionId).isEqualTo(row.executionId);
    }

    private ClaimQuery claim(List<String> capabilities, long nowMs, int limit) {
        return new ClaimQuery(NAMESPACE, LANE, capabilities, nowMs, limit);
    }

    private List<UUID> claimIds(List<String> capabilities, long nowMs) {
        return tx(t -> t.lockClaimable(claim(capabilities, nowMs, 100)).map(r -> r.executionId).collectList());
    }

    private List<ExecutionRow> list(ListQuery query) {
        return read(r -> r.listExecutions(query).collectList());
    }

    private List<UUID> listIds(String namespace, String lane, PublicState state) {
        return list(new ListQuery(namespace, lane, state, 50, null, null, null, 100)).stream()
                .map(r -> r.executionId).toList();
    }
}
