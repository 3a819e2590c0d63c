package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.AttemptId;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LeaseFence;
import io.flowfabric.api.LeaseId;
import io.flowfabric.api.Payload;
import io.flowfabric.internal.ClaimGrant;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ClaimedRow;
import io.flowfabric.internal.CompletionGrant;
import io.flowfabric.internal.ExecutionRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The rowids a claim leaves for the completions ({@link RowidHints}): a completion finds its row by the hint
 * when it matches and by the key when the hint is missing or points at another row, and either way ends the
 * right attempts and writes the events in request order; a hint never completes a request whose fence does
 * not hold.
 */
class SqliteRowidHintsTest extends StoreFixture {
    private static final long NOW = 1_000;

    @Test
    void completionsFindTheirRowsWithRightMissingOrWrongHints() {
        List<ExecutionRow> rows = List.of(TestRows.runnable(1, 1), TestRows.runnable(2, 2), TestRows.runnable(3, 3),
                TestRows.runnable(4, 4));
        insert(rows.toArray(ExecutionRow[]::new));

        List<Integer> completed = store.writeScope(scope -> scope.mono("claim and complete", () -> {
            SqliteConnection c = scope.connection();
            List<ClaimedRow> claimed = SqliteClaim.claim(c, new ClaimQuery(TestRows.NAMESPACE, TestRows.LANE,
                    List.of(), NOW, 10), new ClaimGrant(NOW, 30_000, "w", "i"));
            assertThat(claimed).extracting(ClaimedRow::id).containsExactlyElementsOf(
                    rows.stream().map(ExecutionRow::id).toList());
            RowidHints hints = c.rowidHints();
            assertThat(hints.size()).isEqualTo(4);
            // Row 0 keeps its right hint; row 1 loses its hint; row 2's hint points at row 0's rowid; row 3
            // keeps its right hint but its request carries a stale fence.
            Long rowidOfFirst = hints.take(claimed.get(0).id());
            hints.leased(claimed.get(0).id(), rowidOfFirst);
            hints.take(claimed.get(1).id());
            hints.take(claimed.get(2).id());
            hints.leased(claimed.get(2).id(), rowidOfFirst);
            List<CompleteExecution> requests = List.of(request(claimed.get(2), "c"), request(claimed.get(0), "a"),
                    request(claimed.get(1), "b"), staleRequest(claimed.get(3)));
            List<Integer> done = SqliteComplete.complete(c, requests, new CompletionGrant(NOW + 1));
            assertThat(hints.size()).isZero();
            return done;
        })).block(TIMEOUT);

        assertThat(completed).containsExactly(0, 1, 2);
        List<String> expectedOrder = List.of(id(rows.get(2)), id(rows.get(0)), id(rows.get(1)));
        assertThat(column("SELECT execution_id FROM ff_completion_event ORDER BY event_id"))
                .containsExactlyElementsOf(expectedOrder);
        assertThat(column("SELECT execution_id FROM ff_lease_event WHERE event_type = 'released' ORDER BY event_id"))
                .containsExactlyElementsOf(expectedOrder);
        assertThat(column("SELECT execution_id || ':' || attempt_lifecycle FROM ff_attempt ORDER BY execution_id"))
                .containsExactlyInAnyOrder(id(rows.get(0)) + ":ended_success", id(rows.get(1)) + ":ended_success",
                        id(rows.get(2)) + ":ended_success", id(rows.get(3)) + ":started");
        assertThat(column("SELECT execution_id || ':' || public_state || ':' || coalesce(CAST(result AS TEXT), '')"
                + " FROM ff_exec_core ORDER BY execution_id")).containsExactlyInAnyOrder(
                        id(rows.get(0)) + ":completed:a", id(rows.get(1)) + ":completed:b",
                        id(rows.get(2)) + ":completed:c", id(rows.get(3)) + ":active:");
    }

    @Test
    void hintsAreBoundedAndForgottenWhenTaken() {
        RowidHints hints = new RowidHints();
        ExecutionId first = new ExecutionId(0, UUID.randomUUID());
        hints.leased(first, 1);
        for (int i = 0; i < RowidHints.CAPACITY; i++) {
            hints.leased(new ExecutionId(0, UUID.randomUUID()), i + 2);
        }
        assertThat(hints.size()).isEqualTo(RowidHints.CAPACITY);
        assertThat(hints.take(first)).as("the oldest hint went first").isNull();
        ExecutionId last = new ExecutionId(1, UUID.randomUUID());
        hints.leased(last, 7);
        assertThat(hints.take(last)).isEqualTo(7L);
        assertThat(hints.take(last)).isNull();
    }

    private static CompleteExecution request(ClaimedRow row, String result) {
        return new CompleteExecution(row.id(), new LeaseFence(LeaseId.of(row.leaseId()), row.leaseEpoch(),
                AttemptId.of(row.attemptId())), Payload.of(result.getBytes(StandardCharsets.UTF_8)));
    }

    private static CompleteExecution staleRequest(ClaimedRow row) {
        return new CompleteExecution(row.id(), new LeaseFence(LeaseId.of(row.leaseId()), row.leaseEpoch() + 1,
                AttemptId.of(row.attemptId())), Payload.EMPTY);
    }

    private static String id(ExecutionRow row) {
        return row.executionId.toString();
    }
}
