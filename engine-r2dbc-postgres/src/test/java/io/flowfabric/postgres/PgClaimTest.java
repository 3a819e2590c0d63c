package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ExecutionRow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.util.function.Tuple2;

/** {@code lockClaimable}: which rows it returns, in which order, and that it skips locked rows. */
class PgClaimTest {
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

    @Test
    void claimOrderIsPriorityDescendingThenOldestFirst() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow lowOld = TestRows.runnable(ns, "l", 1, T0);
        ExecutionRow highNew = TestRows.runnable(ns, "l", 9, T0 + 20);
        ExecutionRow highOld = TestRows.runnable(ns, "l", 9, T0 + 10);
        ExecutionRow lowNew = TestRows.runnable(ns, "l", 1, T0 + 30);
        insert(lowOld, highNew, highOld, lowNew);

        assertThat(ids(claim(ns, "l", List.of(), T0 + 100, 10)))
                .containsExactly(highOld.id(), highNew.id(), lowOld.id(), lowNew.id());
        assertThat(ids(claim(ns, "l", List.of(), T0 + 100, 2))).containsExactly(highOld.id(), highNew.id());
    }

    @Test
    void onlyTheRequestedNamespaceAndLane() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow wanted = TestRows.runnable(ns, "l", 1, T0);
        insert(wanted, TestRows.runnable(ns, "other", 1, T0), TestRows.runnable(ns + "x", "l", 1, T0));

        assertThat(ids(claim(ns, "l", List.of(), T0, 10))).containsExactly(wanted.id());
    }

    @Test
    void requiredCapabilitiesMustBeASubsetOfTheOffered() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow none = TestRows.runnable(ns, "l", 3, T0);
        ExecutionRow gpu = TestRows.runnable(ns, "l", 2, T0);
        gpu.requiredCapabilities = List.of("gpu");
        ExecutionRow gpuLinux = TestRows.runnable(ns, "l", 1, T0);
        gpuLinux.requiredCapabilities = List.of("gpu", "linux");
        insert(none, gpu, gpuLinux);

        assertThat(ids(claim(ns, "l", List.of(), T0, 10))).containsExactly(none.id());
        assertThat(ids(claim(ns, "l", List.of("gpu"), T0, 10))).containsExactly(none.id(), gpu.id());
        assertThat(ids(claim(ns, "l", List.of("arm", "gpu", "linux"), T0, 10)))
                .containsExactly(none.id(), gpu.id(), gpuLinux.id());
    }

    @Test
    void rowsBecomeClaimableAtTheirEligibleTime() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow now = TestRows.runnable(ns, "l", 1, T0);
        ExecutionRow later = TestRows.delayed(TestRows.runnable(ns, "l", 1, T0 + 1), T0 + 1_000);
        insert(now, later);

        assertThat(ids(claim(ns, "l", List.of(), T0 + 999, 10))).containsExactly(now.id());
        assertThat(ids(claim(ns, "l", List.of(), T0 + 1_000, 10))).containsExactly(now.id(), later.id());
    }

    @Test
    void ownedAndNonRunnableRowsAreNotClaimable() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow runnable = TestRows.runnable(ns, "l", 1, T0);
        ExecutionRow active = TestRows.activeWithEverySet(TestRows.runnable(ns, "l", 1, T0));
        active.requiredCapabilities = List.of();
        insert(runnable, active);

        assertThat(ids(claim(ns, "l", List.of(), T0 + 1, 10))).containsExactly(runnable.id());
    }

    @Test
    void aSecondTransactionSkipsRowsTheFirstHoldsLocked() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow a = TestRows.runnable(ns, "l", 1, T0);
        ExecutionRow b = TestRows.runnable(ns, "l", 1, T0 + 1);
        ExecutionRow c = TestRows.runnable(ns, "l", 1, T0 + 2);
        insert(a, b, c);
        ClaimQuery one = new ClaimQuery(ns, "l", List.of(), T0 + 10, 1);
        ClaimQuery all = new ClaimQuery(ns, "l", List.of(), T0 + 10, 10);

        // The second claim runs on another pooled connection while the first transaction is still open.
        Tuple2<List<ExecutionRow>, List<ExecutionRow>> claims = store.inTransaction(first ->
                first.lockClaimable(one).collectList().zipWhen(held ->
                        store.inTransaction(second -> second.lockClaimable(all).collectList()))).block(TIMEOUT);

        assertThat(ids(claims.getT1())).containsExactly(a.id());
        assertThat(ids(claims.getT2())).containsExactly(b.id(), c.id());
        // Once the first transaction has ended its row is claimable again.
        assertThat(ids(claim(ns, "l", List.of(), T0 + 10, 10))).containsExactly(a.id(), b.id(), c.id());
    }

    @Test
    void theClaimScanUsesThePartialClaimIndex() throws Exception {
        // The test table is tiny, so sequential scans are priced out. The plan must then scan the partial
        // claim index without a sort: the WHERE clause implies the index predicate and the ORDER BY is its key.
        String explain = "EXPLAIN " + PgTx.LOCK_CLAIMABLE.replace("$4::text[]", "?::text[]")
                .replaceAll("\\$\\d", "?");
        StringBuilder plan = new StringBuilder();
        try (Connection jdbc = DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password())) {
            jdbc.createStatement().execute("SET enable_seqscan = off");
            try (PreparedStatement statement = jdbc.prepareStatement(explain)) {
                statement.setString(1, "ns");
                statement.setString(2, "lane");
                statement.setLong(3, T0);
                statement.setArray(4, jdbc.createArrayOf("text", new String[] {"gpu"}));
                statement.setInt(5, 10);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        assertThat(plan.toString()).contains("ff_exec_core_claim_idx").doesNotContain("Sort");
    }

    private static void insert(ExecutionRow... rows) {
        store.inTransaction(tx -> Flux.fromArray(rows).concatMap(tx::insertExecution).then()).block(TIMEOUT);
    }

    private static List<ExecutionRow> claim(String ns, String lane, List<String> capabilities, long now, int limit) {
        ClaimQuery query = new ClaimQuery(ns, lane, capabilities, now, limit);
        return store.inTransaction(tx -> tx.lockClaimable(query).collectList()).block(TIMEOUT);
    }

    private static List<ExecutionId> ids(List<ExecutionRow> rows) {
        List<ExecutionId> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.id()));
        return ids;
    }
}
