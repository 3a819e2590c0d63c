package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.Transition;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ExecutionRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.util.function.Tuple2;

/** {@code lockReclaimable}: lapsed and revoked leases of a lane, in claim order, skipping locked rows. */
class PgReclaimTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static PostgresOptions options;
    private static PgStore store;

    @BeforeAll
    static void open() {
        options = PostgresTestDatabase.instance().freshDatabase();
        store = PostgresEngine.openStore(options).block(TIMEOUT);
    }

    @AfterAll
    static void close() {
        store.close().block(TIMEOUT);
    }

    /** An execution of {@code ns}, lane "l", whose lease lapsed (the lease-expiry reconciler ran). */
    private static ExecutionRow lapsed(String ns, int priority, long createdAtMs) {
        return TestRows.after(TestRows.leased(TestRows.runnable(ns, "l", priority, createdAtMs), createdAtMs + 1),
                Transition.LEASE_EXPIRE);
    }

    @Test
    void onlyLapsedAndRevokedLeasesAreReclaimable() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow expired = lapsed(ns, 1, T0);
        ExecutionRow revoked = TestRows.after(TestRows.leased(TestRows.runnable(ns, "l", 1, T0 + 1), T0),
                Transition.REVOKE_LEASE);
        // Still leased, even though its expiry passed: the reconciler has not marked it yet.
        ExecutionRow stillLeased = TestRows.leased(TestRows.runnable(ns, "l", 1, T0 + 2), T0);
        ExecutionRow runnable = TestRows.runnable(ns, "l", 1, T0 + 3);
        ExecutionRow ended = TestRows.terminal(lapsed(ns, 1, T0 + 4), T0 + 5);
        insert(expired, revoked, stillLeased, runnable, ended);

        assertThat(ids(reclaimable(ns, "l", List.of(), 10))).containsExactly(expired.id(), revoked.id());
    }

    @Test
    void claimOrderIsPriorityDescendingThenOldestFirstUpToTheLimit() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow lowOld = lapsed(ns, 1, T0);
        ExecutionRow highNew = lapsed(ns, 9, T0 + 20);
        ExecutionRow highOld = lapsed(ns, 9, T0 + 10);
        ExecutionRow lowNew = lapsed(ns, 1, T0 + 30);
        insert(lowOld, highNew, highOld, lowNew);

        assertThat(ids(reclaimable(ns, "l", List.of(), 10)))
                .containsExactly(highOld.id(), highNew.id(), lowOld.id(), lowNew.id());
        assertThat(ids(reclaimable(ns, "l", List.of(), 2))).containsExactly(highOld.id(), highNew.id());
    }

    @Test
    void namespaceLaneAndCapabilitiesFilterLikeTheClaim() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow plain = lapsed(ns, 3, T0);
        ExecutionRow gpu = lapsed(ns, 2, T0);
        gpu.requiredCapabilities = List.of("gpu");
        ExecutionRow otherLane = lapsed(ns, 1, T0);
        otherLane.laneId = "other";
        insert(plain, gpu, otherLane, lapsed(ns + "-other", 1, T0));

        assertThat(ids(reclaimable(ns, "l", List.of(), 10))).containsExactly(plain.id());
        assertThat(ids(reclaimable(ns, "l", List.of("gpu", "linux"), 10))).containsExactly(plain.id(), gpu.id());
        assertThat(ids(reclaimable(ns, "other", List.of(), 10))).containsExactly(otherLane.id());
    }

    @Test
    void aSecondTransactionSkipsRowsTheFirstHoldsLocked() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow a = lapsed(ns, 1, T0);
        ExecutionRow b = lapsed(ns, 1, T0 + 1);
        ExecutionRow c = lapsed(ns, 1, T0 + 2);
        insert(a, b, c);
        ClaimQuery one = new ClaimQuery(ns, "l", List.of(), 0, 1);
        ClaimQuery all = new ClaimQuery(ns, "l", List.of(), 0, 10);

        // The second transaction runs on another pooled connection while the first is still open.
        Tuple2<List<ExecutionRow>, List<ExecutionRow>> locked = store.inTransaction(first ->
                first.lockReclaimable(one).collectList().zipWhen(held ->
                        store.inTransaction(second -> second.lockReclaimable(all).collectList()))).block(TIMEOUT);

        assertThat(ids(locked.getT1())).containsExactly(a.id());
        assertThat(ids(locked.getT2())).containsExactly(b.id(), c.id());
        assertThat(ids(reclaimable(ns, "l", List.of(), 10))).containsExactly(a.id(), b.id(), c.id());
    }

    @Test
    void theLockedRowCanBeWrittenBackInTheSameTransaction() {
        String ns = TestRows.uniqueNamespace();
        insert(lapsed(ns, 1, T0));

        store.inTransaction(tx -> tx.lockReclaimable(new ClaimQuery(ns, "l", List.of(), 0, 10))
                .concatMap(row -> {
                    TestRows.after(row, Transition.RECLAIM).reclaimCount = 1;
                    return tx.updateExecution(row);
                }).then()).block(TIMEOUT);

        assertThat(reclaimable(ns, "l", List.of(), 10)).isEmpty();
    }

    @Test
    void theScanUsesThePartialReclaimIndexInClaimOrder() {
        String types = "text, text, text[], integer";
        String arguments = "'ns', 'lane', ARRAY['gpu'], 10";
        for (boolean generic : new boolean[] {false, true}) {
            assertThat(PgPlans.explain(options, PgTx.LOCK_RECLAIMABLE, types, arguments, generic))
                    .as("generic=%s", generic)
                    .contains("Index Scan using ff_exec_core_reclaim_idx").doesNotContain("Sort");
        }
    }

    private static void insert(ExecutionRow... rows) {
        store.inTransaction(tx -> Flux.fromArray(rows).concatMap(tx::insertExecution).then()).block(TIMEOUT);
    }

    private static List<ExecutionRow> reclaimable(String ns, String lane, List<String> capabilities, int limit) {
        ClaimQuery query = new ClaimQuery(ns, lane, capabilities, T0, limit);
        return store.inTransaction(tx -> tx.lockReclaimable(query).collectList()).block(TIMEOUT);
    }

    private static List<ExecutionId> ids(List<ExecutionRow> rows) {
        List<ExecutionId> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.id()));
        return ids;
    }
}
