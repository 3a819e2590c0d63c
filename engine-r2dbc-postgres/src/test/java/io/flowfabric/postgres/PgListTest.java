package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.BlockingReason;
import io.flowfabric.api.state.EligibilityState;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.StateVector;
import io.flowfabric.api.state.TerminalOutcome;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.ListQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** {@code listExecutions}: keyset pages in creation order and the filters of {@link ListQuery}. */
class PgListTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static PgStore store;

    @BeforeAll
    static void open() {
        store = PostgresEngine.openStore(PostgresTestDatabase.instance().freshDatabase()).block(TIMEOUT);
    }

    @AfterAll
    static void close() {
        store.close().block(TIMEOUT);
    }

    @Test
    void keysetPagesVisitEveryRowOnceInCreationOrder() {
        String ns = TestRows.uniqueNamespace();
        List<ExecutionRow> rows = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // Pairs share created_at_ms, so the partition key and id must break the tie. PostgreSQL
            // orders uuid bytewise, which is the order of the lower-case text form.
            rows.add(TestRows.runnable(ns, "l", 0, T0 + i / 2));
        }
        insert(rows);
        List<ExecutionId> expected = rows.stream()
                .sorted((x, y) -> x.createdAtMs != y.createdAtMs ? Long.compare(x.createdAtMs, y.createdAtMs)
                        : x.partitionKey != y.partitionKey ? Integer.compare(x.partitionKey, y.partitionKey)
                        : x.executionId.toString().compareTo(y.executionId.toString()))
                .map(ExecutionRow::id).toList();

        List<ExecutionId> seen = new ArrayList<>();
        List<ExecutionRow> page = list(new ListQuery(ns, null, null, T0, null, null, null, 3));
        while (!page.isEmpty()) {
            assertThat(page).hasSizeLessThanOrEqualTo(3);
            page.forEach(row -> seen.add(row.id()));
            ExecutionRow last = page.get(page.size() - 1);
            page = list(new ListQuery(ns, null, null, T0, last.createdAtMs, last.partitionKey, last.executionId, 3));
        }

        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void uuidTieBreakUsesTheServerOrder() {
        // PostgreSQL orders uuid bytewise; java.util.UUID.compareTo compares signed longs, so the two
        // disagree on these ids. Pages follow the server's order.
        String ns = TestRows.uniqueNamespace();
        ExecutionRow low = TestRows.runnable(ns, "l", 0, T0);
        ExecutionRow high = TestRows.runnable(ns, "l", 0, T0);
        low.partitionKey = 5;
        high.partitionKey = 5;
        low.executionId = UUID.fromString("00000000-0000-0000-0000-000000000001");
        high.executionId = UUID.fromString("f0000000-0000-0000-0000-000000000001");
        insert(List.of(high, low));

        assertThat(ids(list(new ListQuery(ns, null, null, T0, null, null, null, 10))))
                .containsExactly(low.id(), high.id());
    }

    @Test
    void namespaceAndLaneFiltersAndNullMatchesAll() {
        String ns = TestRows.uniqueNamespace();
        String lane = "lane-" + UUID.randomUUID();
        ExecutionRow a = TestRows.runnable(ns, lane, 0, T0);
        ExecutionRow b = TestRows.runnable(ns, "other", 0, T0 + 1);
        ExecutionRow c = TestRows.runnable(ns + "-2", lane, 0, T0 + 2);
        insert(List.of(a, b, c));

        assertThat(ids(list(new ListQuery(ns, lane, null, T0, null, null, null, 10)))).containsExactly(a.id());
        assertThat(ids(list(new ListQuery(ns, null, null, T0, null, null, null, 10))))
                .containsExactly(a.id(), b.id());
        assertThat(ids(list(new ListQuery(null, lane, null, T0, null, null, null, 10))))
                .containsExactly(a.id(), c.id());
    }

    @Test
    void publicStateFilterTreatsADueDelayedExecutionAsWaiting() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow waiting = TestRows.runnable(ns, "l", 0, T0);
        ExecutionRow due = TestRows.delayed(TestRows.runnable(ns, "l", 0, T0 + 1), T0 + 100);
        ExecutionRow future = TestRows.delayed(TestRows.runnable(ns, "l", 0, T0 + 2), T0 + 101);
        ExecutionRow completed = TestRows.runnable(ns, "l", 0, T0 + 3);
        completed.setState(new StateVector(LifecyclePhase.TERMINAL, OwnershipState.UNOWNED,
                EligibilityState.NOT_APPLICABLE, BlockingReason.NONE, TerminalOutcome.SUCCESS,
                AttemptState.ATTEMPT_TERMINAL));
        insert(List.of(waiting, due, future, completed));
        long now = T0 + 100;

        assertThat(ids(listState(ns, PublicState.WAITING, now))).containsExactly(waiting.id(), due.id());
        assertThat(ids(listState(ns, PublicState.DELAYED, now))).containsExactly(future.id());
        assertThat(ids(listState(ns, PublicState.COMPLETED, now))).containsExactly(completed.id());
        assertThat(ids(listState(ns, PublicState.FAILED, now))).isEmpty();
        assertThat(ids(listState(ns, null, now))).hasSize(4);
    }

    @Test
    void aPartialPositionIsRejected() {
        StepVerifier.create(store.read(reads -> reads.listExecutions(
                        new ListQuery(null, null, null, T0, T0, null, null, 10)).collectList()))
                .expectError(ValidationException.class)
                .verify(TIMEOUT);
    }

    private static List<ExecutionRow> listState(String ns, PublicState state, long now) {
        return list(new ListQuery(ns, null, state, now, null, null, null, 100));
    }

    private static List<ExecutionRow> list(ListQuery query) {
        return store.read(reads -> reads.listExecutions(query).collectList()).block(TIMEOUT);
    }

    private static void insert(List<ExecutionRow> rows) {
        store.inTransaction(tx -> Flux.fromIterable(rows).concatMap(tx::insertExecution).then()).block(TIMEOUT);
    }

    private static List<ExecutionId> ids(List<ExecutionRow> rows) {
        return rows.stream().map(ExecutionRow::id).toList();
    }
}
