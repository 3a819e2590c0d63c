package io.flowfabric.sqlite;

import static io.flowfabric.sqlite.TestRows.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.BlockingReason;
import io.flowfabric.api.state.EligibilityState;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.StateVector;
import io.flowfabric.api.state.TerminalOutcome;
import io.flowfabric.internal.DueKind;
import io.flowfabric.internal.DueQuery;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.Feed;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@code findDue}: the condition and order of each kind, the filters, the limit and the index each uses. */
class SqliteDueQueryTest extends StoreFixture {

    private List<ExecutionId> due(DueKind kind, long nowMs) {
        return due(new DueQuery(kind, nowMs, null, null, null, 100));
    }

    private List<ExecutionId> due(DueQuery query) {
        return read(r -> r.findDue(query).collectList());
    }

    private static ExecutionRow leased(int partition, long leaseExpiresAtMs) {
        return TestRows.active(partition, 1, OwnershipState.LEASED, leaseExpiresAtMs);
    }

    @Test
    void leaseExpiredFindsLeasedActiveRowsWhoseLeaseLapsedByExpiry() {
        ExecutionRow late = leased(1, 300);
        ExecutionRow early = leased(2, 100);
        ExecutionRow atNow = leased(3, 500);
        ExecutionRow future = leased(4, 501);
        ExecutionRow alreadyReclaimable = TestRows.active(5, 1, OwnershipState.LEASE_EXPIRED_RECLAIMABLE, 50);
        ExecutionRow revoked = TestRows.active(6, 1, OwnershipState.LEASE_REVOKED, 50);
        ExecutionRow endedWithStaleLease = TestRows.terminal(7, 60);
        endedWithStaleLease.leaseExpiresAtMs = 50L;
        insert(late, early, atNow, future, alreadyReclaimable, revoked, endedWithStaleLease);

        assertThat(due(DueKind.LEASE_EXPIRED, 500)).containsExactly(early.id(), late.id(), atNow.id());
        assertThat(due(DueKind.LEASE_EXPIRED, 99)).isEmpty();
    }

    @Test
    void delayDueFindsDelayedRunnableRowsByEligibility() {
        ExecutionRow later = TestRows.delayed(1, 1, 400);
        ExecutionRow sooner = TestRows.delayed(2, 2, 200);
        ExecutionRow notYet = TestRows.delayed(3, 3, 401);
        ExecutionRow eligible = TestRows.runnable(4, 0);
        ExecutionRow retryBackoff = TestRows.delayed(5, 5, 300);
        retryBackoff.setState(new StateVector(LifecyclePhase.RUNNABLE, OwnershipState.UNOWNED,
                EligibilityState.NOT_ELIGIBLE_UNTIL_TIME, BlockingReason.WAITING_FOR_RETRY_BACKOFF,
                TerminalOutcome.NONE, AttemptState.PENDING_RETRY_ATTEMPT));
        ExecutionRow paused = TestRows.delayed(6, 6, 100);
        paused.setState(new StateVector(LifecyclePhase.RUNNABLE, OwnershipState.UNOWNED,
                EligibilityState.BLOCKED_BY_OPERATOR, BlockingReason.PAUSED_BY_OPERATOR, TerminalOutcome.NONE,
                AttemptState.PENDING_FIRST_ATTEMPT));
        insert(later, sooner, notYet, eligible, retryBackoff, paused);

        assertThat(due(DueKind.DELAY_DUE, 400)).containsExactly(sooner.id(), retryBackoff.id(), later.id());
    }

    @Test
    void attemptTimedOutFindsActiveRowsPastTheirAttemptDeadline() {
        ExecutionRow second = leased(1, 10_000);
        second.attemptDeadlineAtMs = 200L;
        ExecutionRow first = TestRows.active(2, 1, OwnershipState.LEASE_EXPIRED_RECLAIMABLE, 50);
        first.attemptDeadlineAtMs = 100L;
        ExecutionRow noDeadline = leased(3, 10_000);
        ExecutionRow notYet = leased(4, 10_000);
        notYet.attemptDeadlineAtMs = 201L;
        ExecutionRow runnable = TestRows.runnable(5, 1);
        runnable.attemptDeadlineAtMs = 50L;
        insert(second, first, noDeadline, notYet, runnable);

        assertThat(due(DueKind.ATTEMPT_TIMED_OUT, 200)).containsExactly(first.id(), second.id());
    }

    @Test
    void deadlinePassedFindsEveryUnfinishedRowPastItsDeadline() {
        ExecutionRow active = leased(1, 10_000);
        active.deadlineAtMs = 300L;
        ExecutionRow waiting = TestRows.runnable(2, 1);
        waiting.deadlineAtMs = 100L;
        ExecutionRow delayed = TestRows.delayed(3, 1, 10_000);
        delayed.deadlineAtMs = 200L;
        ExecutionRow ended = TestRows.terminal(4, 50);
        ended.deadlineAtMs = 50L;
        ExecutionRow noDeadline = TestRows.runnable(5, 1);
        ExecutionRow notYet = TestRows.runnable(6, 1);
        notYet.deadlineAtMs = 301L;
        insert(active, waiting, delayed, ended, noDeadline, notYet);

        assertThat(due(DueKind.DEADLINE_PASSED, 300)).containsExactly(waiting.id(), delayed.id(), active.id());
    }

    @Test
    void retentionDueFindsTerminalRowsThatEndedByTheCutoff() {
        ExecutionRow newer = TestRows.terminal(1, 300);
        ExecutionRow older = TestRows.terminal(2, 100);
        ExecutionRow afterCutoff = TestRows.terminal(3, 301);
        ExecutionRow activeWithEndTime = TestRows.full(4);
        activeWithEndTime.terminalAtMs = 10L;
        insert(newer, older, afterCutoff, activeWithEndTime);

        assertThat(due(DueKind.RETENTION_DUE, 300)).containsExactly(older.id(), newer.id());
    }

    @Test
    void equalTimesAreOrderedByKeyAndTheLimitKeepsTheOldest() {
        List<ExecutionRow> rows = Stream.of(3, 1, 2, 1, 3, 0).map(p -> TestRows.terminal(p, 100)).toList();
        ExecutionRow oldest = TestRows.terminal(9, 99);
        insert(rows.toArray(ExecutionRow[]::new));
        insert(oldest);
        List<ExecutionId> byKey = rows.stream()
                .sorted(Comparator.<ExecutionRow>comparingInt(r -> r.partitionKey)
                        .thenComparing(r -> r.executionId.toString()))
                .map(ExecutionRow::id).toList();

        assertThat(due(DueKind.RETENTION_DUE, 100)).first().isEqualTo(oldest.id());
        assertThat(due(DueKind.RETENTION_DUE, 100)).containsExactlyElementsOf(
                Stream.concat(Stream.of(oldest.id()), byKey.stream()).toList());
        assertThat(due(new DueQuery(DueKind.RETENTION_DUE, 100, null, null, null, 3)))
                .containsExactly(oldest.id(), byKey.get(0), byKey.get(1));
    }

    @ParameterizedTest
    @EnumSource(DueKind.class)
    void filtersByNamespaceAndTag(DueKind kind) {
        ExecutionRow plain = dueRow(kind, 1);
        ExecutionRow tagged = dueRow(kind, 2);
        tagged.tagsJson = "{\"team.name\":\"search\",\"app.env\":\"prod\"}";
        ExecutionRow otherValue = dueRow(kind, 3);
        otherValue.tagsJson = "{\"team.name\":\"ads\"}";
        ExecutionRow nested = dueRow(kind, 4);
        nested.tagsJson = "{\"team\":{\"name\":\"search\"}}";
        ExecutionRow otherNamespace = dueRow(kind, 5);
        otherNamespace.namespace = "other";
        otherNamespace.tagsJson = tagged.tagsJson;
        insertDue(kind, plain, tagged, otherValue, nested, otherNamespace);

        assertThat(due(kind, 1_000)).containsExactly(plain.id(), tagged.id(), otherValue.id(), nested.id(),
                otherNamespace.id());
        assertThat(due(new DueQuery(kind, 1_000, NAMESPACE, null, null, 100)))
                .containsExactly(plain.id(), tagged.id(), otherValue.id(), nested.id());
        assertThat(due(new DueQuery(kind, 1_000, null, "team.name", "search", 100)))
                .containsExactly(tagged.id(), otherNamespace.id());
        assertThat(due(new DueQuery(kind, 1_000, NAMESPACE, "team.name", "search", 100)))
                .containsExactly(tagged.id());
        assertThat(due(new DueQuery(kind, 1_000, "other", "app.env", "prod", 100)))
                .containsExactly(otherNamespace.id());
        assertThat(due(new DueQuery(kind, 1_000, null, "team.name", "'search' OR 1=1", 100))).isEmpty();
        assertThat(due(new DueQuery(kind, 1_000, null, "team.missing", "search", 100))).isEmpty();
        assertThat(due(new DueQuery(kind, 1_000, null, "team.name", null, 100))).isEmpty();
        assertThat(due(new DueQuery(kind, 1_000, "nobody", null, null, 100))).isEmpty();
    }

    /** A row that {@code kind} finds at any time from 1000 on, ordered by partition. */
    private static ExecutionRow dueRow(DueKind kind, int partition) {
        long at = 100 + partition;
        return switch (kind) {
            case LEASE_EXPIRED -> leased(partition, at);
            case DELAY_DUE -> TestRows.delayed(partition, 1, at);
            case ATTEMPT_TIMED_OUT -> {
                ExecutionRow row = leased(partition, 10_000);
                row.attemptDeadlineAtMs = at;
                yield row;
            }
            case DEADLINE_PASSED -> {
                ExecutionRow row = TestRows.runnable(partition, 1);
                row.deadlineAtMs = at;
                yield row;
            }
            case RETENTION_DUE -> TestRows.terminal(partition, at);
            case SUSPENSION_TIMED_OUT -> TestRows.suspended(partition, 1);
            case WAITPOINT_EXPIRED -> leased(partition, 10_000);
        };
    }

    /**
     * Inserts rows made by {@link #dueRow} and, for the kinds over V4's tables, the open suspension or
     * pending waitpoint that makes each due at 100 + partition.
     */
    private void insertDue(DueKind kind, ExecutionRow... rows) {
        insert(rows);
        tx(t -> Flux.fromArray(rows).concatMap(row -> switch (kind) {
            case SUSPENSION_TIMED_OUT -> t.insertSuspension(TestRows.suspension(row, 100L + row.partitionKey));
            case WAITPOINT_EXPIRED -> t.insertWaitpoint(TestRows.pending(row, "approval", 100L + row.partitionKey));
            default -> Mono.<Void>empty();
        }).then());
    }

    @Test
    void everyKindReadsOnlyItsPartialIndex() {
        Map<DueKind, String> indexes = Map.of(
                DueKind.LEASE_EXPIRED, "ff_exec_core_lease_expiry_idx",
                DueKind.DELAY_DUE, "ff_exec_core_delayed_idx",
                DueKind.ATTEMPT_TIMED_OUT, "ff_exec_core_attempt_deadline_idx",
                DueKind.DEADLINE_PASSED, "ff_exec_core_deadline_idx",
                DueKind.RETENTION_DUE, "ff_exec_core_retention_idx",
                DueKind.SUSPENSION_TIMED_OUT, "ff_suspension_timeout_idx",
                DueKind.WAITPOINT_EXPIRED, "ff_waitpoint_expiry_idx");
        for (DueKind kind : DueKind.values()) {
            assertThat(plan(SqliteReads.FIND_DUE.get(kind))).as(kind.name())
                    .anyMatch(step -> step.contains("USING INDEX " + indexes.get(kind)))
                    .noneMatch(step -> step.startsWith("SCAN ff_exec_core"))
                    // Only ties are sorted (the index gives the time order), so LIMIT stops the scan early.
                    .noneMatch(step -> step.equals("USE TEMP B-TREE FOR ORDER BY"));
        }
        assertThat(plan(SqliteTx.LOCK_RECLAIMABLE)).anyMatch(step -> step.contains("USING INDEX ff_exec_core_reclaim_idx"));
        assertThat(plan(SqliteTx.DELETE_EXPIRED_IDEMPOTENCY_KEYS))
                .anyMatch(step -> step.contains("ff_idempotency_key_expiry_idx"));
        assertThat(plan(SqliteTx.DELETE_EXECUTION_KEYS))
                .anyMatch(step -> step.contains("ff_idempotency_key_execution_idx"));
    }

    @Test
    void feedsReadTheirTablesByRowidAndAttemptsByTheirClusteredKey() {
        assertThat(column("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%position_idx'"))
                .isEmpty();
        for (Feed feed : Feed.values()) {
            SqliteFeedStore.Statements statements = SqliteFeedStore.Statements.of(feed.table());
            String table = feed.table();
            assertThat(plan(statements.readAfter())).as(table)
                    .containsExactly("SEARCH " + table + " USING INTEGER PRIMARY KEY (rowid>?)");
            assertThat(plan(statements.trimDelete())).as(table)
                    .containsExactly("SEARCH " + table + " USING INTEGER PRIMARY KEY (rowid<?)");
            assertThat(plan(statements.head())).as(table).noneMatch(step -> step.startsWith("SCAN " + table));
        }
        assertThat(plan(SqliteFeedStore.Statements.of(Feed.COMPLETION.table()).findLatest()))
                .anyMatch(step -> step.contains("USING INDEX ff_completion_event_execution_idx"));
        assertThat(column("SELECT sql FROM sqlite_master WHERE name = 'ff_attempt'").get(0)).endsWith("WITHOUT ROWID");
        assertThat(plan(SqliteTx.SELECT_ATTEMPT)).containsExactly(
                "SEARCH ff_attempt USING PRIMARY KEY (partition_key=? AND execution_id=? AND attempt_index=?)");
    }

    @Test
    void aQueryWithoutAKindOrWithAQuoteInTheTagKeyFails() {
        StepVerifier.create(store.read(r -> r.findDue(new DueQuery(null, 0, null, null, null, 1)).collectList()))
                .expectError(IllegalArgumentException.class)
                .verify(TIMEOUT);
        StepVerifier.create(store.read(r -> r.findDue(
                        new DueQuery(DueKind.RETENTION_DUE, 0, null, "a.\"b", "v", 1)).collectList()))
                .expectError(IllegalArgumentException.class)
                .verify(TIMEOUT);
    }
}
