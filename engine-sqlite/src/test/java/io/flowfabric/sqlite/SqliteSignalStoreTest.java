package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.internal.DueKind;
import io.flowfabric.internal.DueQuery;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointRow;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The V4 statements: waitpoints, suspensions, signals and signing keys round-trip every column (nulls
 * included) in the documented order, the partial unique indexes hold, {@code upsertSigningKey} supersedes
 * the current key, and the two due kinds over these tables find what they should on their indexes.
 */
class SqliteSignalStoreTest extends StoreFixture {

    private ExecutionRow execution;

    private ExecutionRow execution() {
        if (execution == null) {
            execution = TestRows.active(3, 1, OwnershipState.LEASED, 10_000);
            insert(execution);
        }
        return execution;
    }

    private <T> List<T> sorted(Stream<T> rows, Comparator<T> order) {
        return rows.sorted(order).toList();
    }

    private static WaitpointRow fullWaitpoint(ExecutionRow execution) {
        WaitpointRow row = TestRows.waitpoint(execution, "approval.ünïcødé", "closed", 7);
        row.expiresAtMs = 9_000_000_000_000L;
        row.activatedAtMs = 8L;
        row.closedAtMs = 9L;
        row.closeReason = "satisfied";
        row.suspensionId = UUID.randomUUID();
        return row;
    }

    @Test
    void waitpointsRoundTripEveryColumnInCreationThenIdOrder() {
        ExecutionRow exec = execution();
        WaitpointRow full = fullWaitpoint(exec);
        WaitpointRow bare = TestRows.waitpoint(exec, "a", "pending", 5);
        List<WaitpointRow> ties = Stream.of("b", "c", "d").map(k -> TestRows.waitpoint(exec, k, "active", 6)).toList();
        ExecutionRow other = TestRows.active(3, 1, OwnershipState.LEASED, 10_000);
        insert(other);
        WaitpointRow foreign = TestRows.waitpoint(other, "a", "pending", 1);
        tx(t -> Flux.concat(Stream.of(List.of(full, bare, foreign), ties).flatMap(List::stream)
                .map(t::insertWaitpoint).toList()).then());

        List<WaitpointRow> expected = Stream.concat(Stream.of(bare, full), ties.stream())
                .sorted(Comparator.<WaitpointRow>comparingLong(w -> w.createdAtMs)
                        .thenComparing(w -> w.waitpointId.toString()))
                .toList();
        assertThat(this.<List<WaitpointRow>>read(r -> r.findWaitpoints(exec.id()).collectList()))
                .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
        assertThat(this.<List<WaitpointRow>>tx(t -> t.findWaitpoints(exec.id()).collectList())).hasSize(5);
        assertThat(this.<List<WaitpointRow>>read(r -> r.findWaitpoints(new ExecutionId(4, exec.executionId)).collectList())).isEmpty();
    }

    @Test
    void updateWaitpointWritesEveryColumnAndFailsForAMissingRow() {
        WaitpointRow row = fullWaitpoint(execution());
        row.state = "pending";
        tx(t -> t.insertWaitpoint(row));
        WaitpointRow closed = fullWaitpoint(execution());
        closed.waitpointId = row.waitpointId;
        closed.createdAtMs = 70;
        WaitpointRow cleared = TestRows.waitpoint(execution(), "other", "active", 71);
        cleared.waitpointId = row.waitpointId;

        for (WaitpointRow update : List.of(closed, cleared)) {
            tx(t -> t.updateWaitpoint(update));
            assertThat(this.<List<WaitpointRow>>read(r -> r.findWaitpoints(execution().id()).collectList()))
                    .usingRecursiveFieldByFieldElementComparator().containsExactly(update);
        }
        WaitpointRow missing = TestRows.waitpoint(execution(), "x", "active", 1);
        assertThatThrownBy(() -> tx(t -> t.updateWaitpoint(missing))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyOneWaitpointPerKeyIsOpenAtATime() {
        ExecutionRow exec = execution();
        WaitpointRow first = TestRows.waitpoint(exec, "approval", "pending", 1);
        tx(t -> t.insertWaitpoint(first));
        for (String state : List.of("pending", "active")) {
            assertUniqueViolation(() -> tx(t -> t.insertWaitpoint(TestRows.waitpoint(exec, "approval", state, 2))));
        }
        ExecutionRow other = TestRows.active(exec.partitionKey, 1, OwnershipState.LEASED, 10_000);
        insert(other);
        tx(t -> t.insertWaitpoint(TestRows.waitpoint(other, "approval", "pending", 1))
                .then(t.insertWaitpoint(TestRows.waitpoint(exec, "approval", "closed", 3)))
                .then(t.insertWaitpoint(TestRows.waitpoint(exec, "approval", "closed", 4))));

        first.state = "closed";
        WaitpointRow second = TestRows.waitpoint(exec, "approval", "active", 5);
        tx(t -> t.updateWaitpoint(first).then(t.insertWaitpoint(second)));
        first.state = "pending";
        assertUniqueViolation(() -> tx(t -> t.updateWaitpoint(first)));
        assertThat(this.<List<String>>read(r -> r.findWaitpoints(exec.id()).map(w -> w.state).collectList()))
                .containsExactly("closed", "closed", "closed", "active");
    }

    private static void assertUniqueViolation(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(ConflictException.class)
                .hasCauseInstanceOf(SQLException.class).hasMessageContaining("UNIQUE constraint failed")
                .matches(e -> !((ConflictException) e).isRetryable());
    }

    @Test
    void suspensionsRoundTripAndOnlyAnOpenOneIsFoundAsOpen() {
        ExecutionRow exec = execution();
        assertThat(this.<SuspensionRow>read(r -> r.findOpenSuspension(exec.id()))).isNull();
        SuspensionRow bare = TestRows.suspension(exec, null);
        SuspensionRow full = TestRows.suspension(exec, 9_000_000_000_000L);
        full.attemptIndex = 2;
        full.resumeDelayMs = 1_500;
        full.idempotencyKey = "suspend-1";
        full.closedAtMs = 40L;
        full.closeReason = "resumed";
        tx(t -> t.insertSuspension(full));
        tx(t -> t.insertSuspension(bare));

        assertThat(this.<SuspensionRow>read(r -> r.findOpenSuspension(exec.id()))).usingRecursiveComparison().isEqualTo(bare);
        assertThat(this.<SuspensionRow>tx(t -> t.findSuspensionByKey(exec.id(), "suspend-1"))).usingRecursiveComparison()
                .isEqualTo(full);
        assertThat(this.<SuspensionRow>read(r -> r.findSuspensionByKey(exec.id(), "suspend-2"))).isNull();
        assertThat(this.<SuspensionRow>read(r -> r.findSuspensionByKey(exec.id(), null))).isNull();
        assertThat(this.<SuspensionRow>read(r -> r.findOpenSuspension(new ExecutionId(0, exec.executionId)))).isNull();

        bare.closedAtMs = 50L;
        bare.closeReason = "timed_out";
        bare.idempotencyKey = "suspend-2";
        bare.timeoutAtMs = 45L;
        tx(t -> t.updateSuspension(bare));
        assertThat(this.<SuspensionRow>read(r -> r.findOpenSuspension(exec.id()))).isNull();
        assertThat(this.<SuspensionRow>read(r -> r.findSuspensionByKey(exec.id(), "suspend-2"))).usingRecursiveComparison()
                .isEqualTo(bare);
        SuspensionRow sameKey = TestRows.suspension(exec, null);
        sameKey.idempotencyKey = "suspend-1";
        assertUniqueViolation(() -> tx(t -> t.insertSuspension(sameKey)));
        assertThatThrownBy(() -> tx(t -> t.updateSuspension(TestRows.suspension(exec, null))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void signalsRoundTripInDeliveryThenIdOrderAndAreCounted() {
        ExecutionRow exec = execution();
        WaitpointRow waitpoint = TestRows.waitpoint(exec, "approval", "active", 1);
        assertThat(this.<Long>read(r -> r.countSignals(exec.id()))).isZero();
        SignalRow full = TestRows.signal(waitpoint, 30);
        full.idempotencyKey = "deliver-1";
        full.payload = new byte[] {0, 1, (byte) 0xff, 0};
        full.effect = "buffered";
        SignalRow empty = TestRows.signal(waitpoint, 10);
        empty.payload = new byte[0];
        List<SignalRow> ties = Stream.generate(() -> TestRows.signal(waitpoint, 20)).limit(3).toList();
        tx(t -> Flux.concat(Stream.concat(Stream.of(full, empty), ties.stream()).map(t::insertSignal).toList())
                .then());

        List<SignalRow> expected = sorted(Stream.concat(Stream.of(full, empty), ties.stream()),
                Comparator.<SignalRow>comparingLong(s -> s.deliveredAtMs).thenComparing(s -> s.signalId.toString()));
        assertThat(this.<List<SignalRow>>read(r -> r.findSignals(exec.id()).collectList()))
                .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
        assertThat(this.<Long>tx(t -> t.countSignals(exec.id()))).isEqualTo(5);
        assertThat(this.<SignalRow>read(r -> r.findSignalByKey(exec.id(), "deliver-1"))).usingRecursiveComparison().isEqualTo(full);
        assertThat(this.<SignalRow>read(r -> r.findSignalByKey(exec.id(), "deliver-2"))).isNull();
        assertThat(this.<SignalRow>read(r -> r.findSignalByKey(exec.id(), null))).isNull();
        assertThat(this.<Long>read(r -> r.countSignals(new ExecutionId(0, exec.executionId)))).isZero();

        SignalRow again = TestRows.signal(waitpoint, 40);
        again.idempotencyKey = "deliver-1";
        assertUniqueViolation(() -> tx(t -> t.insertSignal(again)));
        assertThat(this.<Long>read(r -> r.countSignals(exec.id()))).isEqualTo(5);
    }

    @Test
    void aCurrentSigningKeySupersedesTheCurrentOne() {
        assertThat(this.<SigningKeyRow>read(r -> r.findCurrentSigningKey())).isNull();
        SigningKeyRow k1 = TestRows.signingKey("k1", true, 100);
        k1.secret = new byte[] {0, (byte) 0xff, 7, 0};
        k1.validUntilMs = 5L; // ignored: a current key verifies until superseded
        tx(t -> t.upsertSigningKey(k1, 999));
        assertThat(this.<SigningKeyRow>read(r -> r.findCurrentSigningKey())).usingRecursiveComparison().ignoringFields("validUntilMs")
                .isEqualTo(k1);
        assertThat(this.<SigningKeyRow>read(r -> r.findCurrentSigningKey()).validUntilMs).isNull();

        tx(t -> t.upsertSigningKey(TestRows.signingKey("k2", true, 200), 500));
        assertThat(keys()).containsExactly("k1 0 500", "k2 1 null");
        tx(t -> t.upsertSigningKey(TestRows.signingKey("k2", true, 200), 600));
        assertThat(keys()).as("re-upserting the current key supersedes nothing").containsExactly("k1 0 500", "k2 1 null");

        SigningKeyRow retired = TestRows.signingKey("k0", false, 50);
        retired.validUntilMs = 42L;
        tx(t -> t.upsertSigningKey(retired, 700));
        assertThat(keys()).containsExactly("k0 0 42", "k1 0 500", "k2 1 null");

        execute("UPDATE ff_waitpoint_hmac SET valid_until_ms = 650 WHERE kid = 'k2'");
        tx(t -> t.upsertSigningKey(TestRows.signingKey("k1", true, 300), 800));
        assertThat(keys()).as("a current key that already had an end keeps it")
                .containsExactly("k0 0 42", "k1 1 null", "k2 0 650");
        tx(t -> t.upsertSigningKey(TestRows.signingKey("k3", true, 400), 900));
        assertThat(keys()).containsExactly("k0 0 42", "k1 0 900", "k2 0 650", "k3 1 null");
        assertThat(this.<SigningKeyRow>tx(t -> t.findCurrentSigningKey()).kid).isEqualTo("k3");
        assertThat(this.<SigningKeyRow>tx(t -> t.findSigningKey("k1"))).as("a known kid keeps its creation time")
                .usingRecursiveComparison().isEqualTo(key("k1", 100, false, 900L));
        assertThat(this.<SigningKeyRow>read(r -> r.findSigningKey("k9"))).isNull();

        assertThatThrownBy(() -> tx(t -> t.upsertSigningKey(TestRows.signingKey("k4", true, 500), 1_000)
                .then(Mono.error(new IllegalStateException("boom"))))).hasMessage("boom");
        assertThat(keys()).as("both statements roll back").containsExactly("k0 0 42", "k1 0 900", "k2 0 650",
                "k3 1 null");
    }

    private List<String> keys() {
        return column("SELECT kid || ' ' || is_current || ' ' || coalesce(valid_until_ms, 'null')"
                + " FROM ff_waitpoint_hmac ORDER BY kid");
    }

    private static SigningKeyRow key(String kid, long createdAtMs, boolean current, Long validUntilMs) {
        SigningKeyRow row = TestRows.signingKey(kid, current, createdAtMs);
        row.validUntilMs = validUntilMs;
        return row;
    }

    @Test
    void deletingAnExecutionDeletesItsWaitpointsSuspensionsAndSignals() {
        ExecutionRow kept = TestRows.suspended(3, 1);
        insert(kept);
        for (ExecutionRow exec : List.of(execution(), kept)) {
            WaitpointRow waitpoint = TestRows.waitpoint(exec, "approval", "active", 1);
            tx(t -> t.insertWaitpoint(waitpoint));
            tx(t -> t.insertSuspension(TestRows.suspension(exec, 100L)).then(t.insertSignal(TestRows.signal(waitpoint, 2))));
        }
        tx(t -> t.deleteExecution(execution().id()));

        for (String table : List.of("ff_waitpoint", "ff_suspension", "ff_signal")) {
            assertThat(column("SELECT execution_id FROM " + table)).as(table)
                    .containsExactly(kept.executionId.toString());
        }
        assertThat(plan(SqliteSignalStatements.DELETE_EXECUTION_ROWS.get(0))).noneMatch(s -> s.startsWith("SCAN"));
    }

    private List<ExecutionId> due(DueKind kind, long nowMs, int limit) {
        return read(r -> r.findDue(new DueQuery(kind, nowMs, null, null, null, limit)).collectList());
    }

    @Test
    void suspensionTimedOutFindsSuspendedRowsByTheTimeoutOfTheirOpenSuspension() {
        ExecutionRow later = TestRows.suspended(1, 1);
        ExecutionRow sooner = TestRows.suspended(2, 1);
        ExecutionRow atNow = TestRows.suspended(3, 1);
        ExecutionRow notYet = TestRows.suspended(4, 1);
        ExecutionRow noTimeout = TestRows.suspended(5, 1);
        ExecutionRow closedOnly = TestRows.suspended(6, 1);
        ExecutionRow resumed = TestRows.runnable(7, 1);
        insert(later, sooner, atNow, notYet, noTimeout, closedOnly, resumed);
        SuspensionRow closed = TestRows.suspension(closedOnly, 10L);
        closed.closedAtMs = 20L;
        SuspensionRow orphan = TestRows.suspension(TestRows.suspended(8, 1), 10L);
        tx(t -> Flux.concat(Stream.of(TestRows.suspension(later, 300L), TestRows.suspension(sooner, 100L),
                TestRows.suspension(atNow, 500L), TestRows.suspension(notYet, 501L),
                TestRows.suspension(noTimeout, null), closed, orphan, TestRows.suspension(resumed, 10L)).map(t::insertSuspension).toList()).then());

        assertThat(due(DueKind.SUSPENSION_TIMED_OUT, 500, 100)).containsExactly(sooner.id(), later.id(), atNow.id());
        assertThat(due(DueKind.SUSPENSION_TIMED_OUT, 500, 2)).containsExactly(sooner.id(), later.id());
        assertThat(due(DueKind.SUSPENSION_TIMED_OUT, 99, 100)).isEmpty();
    }

    @Test
    void waitpointExpiredFindsEachRowOnceByItsEarliestExpiredPendingWaitpoint() {
        ExecutionRow twoExpired = TestRows.active(1, 1, OwnershipState.LEASED, 10_000);
        ExecutionRow single = TestRows.suspended(2, 1);
        ExecutionRow tiedTwice = TestRows.active(3, 1, OwnershipState.LEASED, 10_000);
        ExecutionRow notPending = TestRows.suspended(4, 1);
        ExecutionRow notYet = TestRows.active(5, 1, OwnershipState.LEASED, 10_000);
        insert(twoExpired, single, tiedTwice, notPending, notYet);
        WaitpointRow active = TestRows.pending(notPending, "active", 10);
        active.state = "active";
        WaitpointRow closed = TestRows.pending(notPending, "closed", 10);
        closed.state = "closed";
        tx(t -> Flux.concat(Stream.of(
                TestRows.pending(twoExpired, "late", 400), TestRows.pending(twoExpired, "early", 150),
                TestRows.pending(twoExpired, "future", 900), TestRows.pending(single, "only", 200),
                TestRows.pending(tiedTwice, "a", 300), TestRows.pending(tiedTwice, "b", 300),
                TestRows.waitpoint(tiedTwice, "no-expiry", "pending", 1), active, closed,
                TestRows.pending(notYet, "later", 501), TestRows.pending(TestRows.runnable(6, 1), "orphan", 5))
                .map(t::insertWaitpoint).toList()).then());

        assertThat(due(DueKind.WAITPOINT_EXPIRED, 500, 100))
                .containsExactly(twoExpired.id(), single.id(), tiedTwice.id());
        assertThat(due(DueKind.WAITPOINT_EXPIRED, 500, 2)).as("the limit counts executions")
                .containsExactly(twoExpired.id(), single.id());
        assertThat(due(DueKind.WAITPOINT_EXPIRED, 199, 100)).containsExactly(twoExpired.id());
        assertThat(due(DueKind.WAITPOINT_EXPIRED, 149, 100)).isEmpty();
    }

    @Test
    void theSignalQueriesUseTheirIndexes() {
        assertThat(plan(SqliteReads.DUE_SUSPENSION_TIMED_OUT))
                .anyMatch(s -> s.startsWith("SEARCH s USING INDEX ff_suspension_timeout_idx"))
                .anyMatch(s -> s.startsWith("SEARCH e USING INDEX sqlite_autoindex_ff_exec_core_1"))
                .noneMatch(s -> s.startsWith("SCAN")).noneMatch(s -> s.equals("USE TEMP B-TREE FOR ORDER BY"));
        assertThat(plan(SqliteReads.DUE_WAITPOINT_EXPIRED))
                .anyMatch(s -> s.startsWith("SEARCH w USING INDEX ff_waitpoint_expiry_idx"))
                .anyMatch(s -> s.startsWith("SEARCH o USING INDEX sqlite_autoindex_ff_waitpoint_1"))
                .anyMatch(s -> s.startsWith("SEARCH e USING INDEX sqlite_autoindex_ff_exec_core_1"))
                .noneMatch(s -> s.startsWith("SCAN")).noneMatch(s -> s.equals("USE TEMP B-TREE FOR ORDER BY"));
        for (String lookup : List.of(SqliteSignalStatements.SELECT_WAITPOINTS, SqliteSignalStatements.UPDATE_WAITPOINT,
                SqliteSignalStatements.SELECT_OPEN_SUSPENSION, SqliteSignalStatements.SELECT_SUSPENSION_BY_KEY,
                SqliteSignalStatements.UPDATE_SUSPENSION, SqliteSignalStatements.SELECT_SIGNALS,
                SqliteSignalStatements.SELECT_SIGNAL_BY_KEY, SqliteSignalStatements.COUNT_SIGNALS,
                SqliteSignalStatements.SELECT_SIGNING_KEY)) {
            assertThat(plan(lookup)).as(lookup).anyMatch(s -> s.startsWith("SEARCH")).noneMatch(s -> s.startsWith("SCAN"));
        }
    }

    @Test
    void openWaitpointPagesAreRangesOfTheListIndexInOrder() {
        for (String page : List.of(SqliteSignalStatements.LIST_OPEN_WAITPOINTS,
                SqliteSignalStatements.LIST_OPEN_WAITPOINTS_AFTER)) {
            assertThat(plan(page)).as(page)
                    .anyMatch(s -> s.startsWith("SEARCH ff_waitpoint USING INDEX ff_waitpoint_open_list_idx"))
                    .noneMatch(s -> s.startsWith("SCAN")).noneMatch(s -> s.contains("TEMP B-TREE"));
        }
        assertThat(plan(SqliteSignalStatements.LIST_OPEN_WAITPOINTS_AFTER))
                .anyMatch(s -> s.contains("(created_at_ms,waitpoint_id)>(?,?)"));
    }
}
