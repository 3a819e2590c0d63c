package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.Transition;
import io.flowfabric.internal.DueKind;
import io.flowfabric.internal.DueQuery;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.StoreTx;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code findDue} for the kinds that join {@code ff_suspension} and {@code ff_waitpoint}: conditions, order,
 * limit, filters and the plan (the partial index in due order driving a nested loop, no sort).
 */
class PgSignalDueTest {
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

    /** The scans without a namespace filter see every row, so each test starts from empty tables. */
    @BeforeEach
    void emptyTables() {
        PostgresTestDatabase.execute(options, "TRUNCATE ff_exec_core, ff_suspension, ff_waitpoint");
    }

    /** An execution whose {@code kind} condition holds from {@code at} on, with the row that makes it hold. */
    private record Due(ExecutionRow execution, SuspensionRow suspension, WaitpointRow waitpoint) {
        ExecutionId id() {
            return execution.id();
        }
    }

    private static Due dueAt(DueKind kind, String namespace, long at) {
        ExecutionRow row = TestSignalRows.suspended(TestRows.runnable(namespace, "l", 1, T0 - 100_000));
        return switch (kind) {
            case SUSPENSION_TIMED_OUT -> new Due(row, TestSignalRows.timingOut(row, at), null);
            case WAITPOINT_EXPIRED -> new Due(row, null, TestSignalRows.expiring(row, "gate", at));
            default -> throw new IllegalArgumentException(kind + " is covered by PgDueTest");
        };
    }

    @ParameterizedTest
    @EnumSource(value = DueKind.class, names = {"SUSPENSION_TIMED_OUT", "WAITPOINT_EXPIRED"})
    void dueRowsComeOldestFirstUpToTheLimitAndTheBoundIsInclusive(DueKind kind) {
        String ns = TestRows.uniqueNamespace();
        Due at30 = dueAt(kind, ns, T0 + 30);
        Due at10 = dueAt(kind, ns, T0 + 10);
        Due at20 = dueAt(kind, ns, T0 + 20);
        insert(at30, at10, at20, dueAt(kind, ns, T0 + 100));

        assertThat(find(kind, T0 + 9, null, null, null, 10)).isEmpty();
        assertThat(find(kind, T0 + 30, null, null, null, 10)).containsExactly(at10.id(), at20.id(), at30.id());
        assertThat(find(kind, T0 + 99, null, null, null, 2)).containsExactly(at10.id(), at20.id());
    }

    @ParameterizedTest
    @EnumSource(value = DueKind.class, names = {"SUSPENSION_TIMED_OUT", "WAITPOINT_EXPIRED"})
    void namespaceAndTagFiltersNarrowTheScan(DueKind kind) {
        String ns = TestRows.uniqueNamespace();
        Due teamA = tagged(dueAt(kind, ns, T0), "{\"app.team\": \"a\", \"app.env\": \"prod\"}");
        Due teamB = tagged(dueAt(kind, ns, T0 + 1), "{\"app.team\": \"b\"}");
        Due untagged = dueAt(kind, ns, T0 + 2);
        Due otherTeamA = tagged(dueAt(kind, ns + "-other", T0 + 3), "{\"app.team\": \"a\"}");
        insert(teamA, teamB, untagged, otherTeamA);

        assertThat(find(kind, T0 + 10, null, null, null, 10))
                .containsExactly(teamA.id(), teamB.id(), untagged.id(), otherTeamA.id());
        assertThat(find(kind, T0 + 10, ns, null, null, 10)).containsExactly(teamA.id(), teamB.id(), untagged.id());
        assertThat(find(kind, T0 + 10, null, "app.team", "a", 10)).containsExactly(teamA.id(), otherTeamA.id());
        assertThat(find(kind, T0 + 10, ns, "app.team", "a", 10)).containsExactly(teamA.id());
        assertThat(find(kind, T0 + 10, ns, "app.env", "prod", 10)).containsExactly(teamA.id());
        assertThat(find(kind, T0 + 10, ns, "app.team", "c", 10)).isEmpty();
        assertThat(find(kind, T0 + 10, ns + "-none", null, null, 10)).isEmpty();
    }

    @Test
    void suspensionTimedOutOnlyConsidersOpenSuspensionsOfSuspendedRows() {
        String ns = TestRows.uniqueNamespace();
        Due timedOut = dueAt(DueKind.SUSPENSION_TIMED_OUT, ns, T0);
        Due closed = dueAt(DueKind.SUSPENSION_TIMED_OUT, ns, T0);
        closed.suspension().closedAtMs = T0 - 1;
        closed.suspension().closeReason = "satisfied";
        Due resumed = dueAt(DueKind.SUSPENSION_TIMED_OUT, ns, T0);
        TestRows.after(resumed.execution(), Transition.RESUME);
        Due ended = dueAt(DueKind.SUSPENSION_TIMED_OUT, ns, T0);
        TestRows.terminal(ended.execution(), T0);
        ExecutionRow noTimeout = TestSignalRows.suspended(TestRows.runnable(ns, "l", 1, T0));
        Due later = dueAt(DueKind.SUSPENSION_TIMED_OUT, ns, T0 + 5);
        insert(timedOut, closed, resumed, ended, new Due(noTimeout, TestSignalRows.suspension(noTimeout, T0), null),
                later);

        assertThat(find(DueKind.SUSPENSION_TIMED_OUT, T0 + 1, ns, null, null, 10)).containsExactly(timedOut.id());
    }

    @Test
    void waitpointExpiredOnlyConsidersPendingWaitpointsWithAnExpiry() {
        String ns = TestRows.uniqueNamespace();
        Due expired = dueAt(DueKind.WAITPOINT_EXPIRED, ns, T0);
        Due active = dueAt(DueKind.WAITPOINT_EXPIRED, ns, T0);
        active.waitpoint().state = "active";
        Due closed = dueAt(DueKind.WAITPOINT_EXPIRED, ns, T0);
        TestSignalRows.closed(closed.waitpoint(), T0 - 1);
        ExecutionRow noExpiry = TestSignalRows.suspended(TestRows.runnable(ns, "l", 1, T0));
        // The phase does not matter: a pending waitpoint of an ended execution still expires.
        Due ended = dueAt(DueKind.WAITPOINT_EXPIRED, ns, T0 + 1);
        TestRows.terminal(ended.execution(), T0);
        insert(expired, active, closed, new Due(noExpiry, null, TestSignalRows.waitpoint(noExpiry, "gate", T0)),
                ended, dueAt(DueKind.WAITPOINT_EXPIRED, ns, T0 + 5));

        assertThat(find(DueKind.WAITPOINT_EXPIRED, T0 + 1, ns, null, null, 10))
                .containsExactly(expired.id(), ended.id());
    }

    @Test
    void anExecutionWithSeveralExpiredWaitpointsComesOnceAtItsEarliestExpiry() {
        String ns = TestRows.uniqueNamespace();
        Due many = dueAt(DueKind.WAITPOINT_EXPIRED, ns, T0 + 30);
        Due single = dueAt(DueKind.WAITPOINT_EXPIRED, ns, T0 + 20);
        List<WaitpointRow> more = new ArrayList<>();
        for (long at : new long[] {T0 + 10, T0 + 10, T0 + 40, T0 + 50}) {
            more.add(TestSignalRows.expiring(many.execution(), "gate-" + more.size(), at));
        }
        insert(many, single);
        store.inTransaction(tx -> Flux.fromIterable(more).concatMap(tx::insertWaitpoint).then()).block(TIMEOUT);

        assertThat(find(DueKind.WAITPOINT_EXPIRED, T0 + 100, ns, null, null, 10))
                .containsExactly(many.id(), single.id());
        // The limit counts executions, not waitpoints.
        assertThat(find(DueKind.WAITPOINT_EXPIRED, T0 + 100, ns, null, null, 1)).containsExactly(many.id());
        assertThat(find(DueKind.WAITPOINT_EXPIRED, T0 + 15, ns, null, null, 10)).containsExactly(many.id());
        // Once the earliest ones are no longer pending, the execution moves to its next pending expiry.
        store.inTransaction(tx -> Flux.fromIterable(more.subList(0, 2))
                .concatMap(w -> tx.updateWaitpoint(TestSignalRows.closed(w, T0 + 60))).then()).block(TIMEOUT);
        assertThat(find(DueKind.WAITPOINT_EXPIRED, T0 + 100, ns, null, null, 10))
                .containsExactly(single.id(), many.id());
    }

    @Test
    void aTransactionSeesItsOwnUncommittedRows() {
        String ns = TestRows.uniqueNamespace();
        Due suspension = dueAt(DueKind.SUSPENSION_TIMED_OUT, ns, T0);
        Due waitpoint = dueAt(DueKind.WAITPOINT_EXPIRED, ns, T0);

        List<ExecutionId> found = store.inTransaction(tx -> write(tx, suspension).then(write(tx, waitpoint))
                .thenMany(tx.findDue(new DueQuery(DueKind.SUSPENSION_TIMED_OUT, T0, ns, null, null, 10)))
                .concatWith(tx.findDue(new DueQuery(DueKind.WAITPOINT_EXPIRED, T0, ns, null, null, 10)))
                .collectList()).block(TIMEOUT);

        assertThat(found).containsExactly(suspension.id(), waitpoint.id());
    }

    /**
     * The partial index is read in due order and drives a nested loop that reaches the execution (and, for
     * waitpoints, the execution's other waitpoints) through the primary key: no sort, no hash over a table.
     */
    @ParameterizedTest
    @EnumSource(value = DueKind.class, names = {"SUSPENSION_TIMED_OUT", "WAITPOINT_EXPIRED"})
    void eachScanReadsItsPartialIndexInOrderForCustomAndGenericPlans(DueKind kind) {
        String types = "bigint, text, text, text, integer";
        for (String arguments : List.of(T0 + ", NULL, NULL, NULL, 500", T0 + ", 'ns', 'app.team', 'a', 500")) {
            for (boolean generic : new boolean[] {false, true}) {
                String plan = PgPlans.explain(options, PgDue.statement(kind), types, arguments, generic);
                var assertion = assertThat(plan).as("%s (%s, generic=%s)", kind, arguments, generic)
                        .contains("Nested Loop").contains("Scan using ff_exec_core_pkey on ff_exec_core e")
                        .doesNotContain("Sort").doesNotContain("Hash").doesNotContain("Materialize");
                if (kind == DueKind.SUSPENSION_TIMED_OUT) {
                    assertion.contains("Index Scan using ff_suspension_timeout_idx on ff_suspension s");
                } else {
                    // The execution's other waitpoints through an index on (partition_key, execution_id, ...):
                    // the primary key or ff_waitpoint_open_key_idx, never a range of the expiry index.
                    assertion.contains("Index Scan using ff_waitpoint_expiry_idx on ff_waitpoint w")
                            .contains("Nested Loop Anti Join")
                            .containsPattern("Scan using \\w+ on ff_waitpoint earlier[^\\n]*\\n\\s+"
                                    + "Index Cond: \\(\\(partition_key = w\\.partition_key\\) "
                                    + "AND \\(execution_id = w\\.execution_id\\)");
                }
            }
        }
    }

    private static Due tagged(Due due, String tagsJson) {
        due.execution().tagsJson = tagsJson;
        return due;
    }

    private static void insert(Due... rows) {
        store.inTransaction(tx -> Flux.fromArray(rows).concatMap(due -> write(tx, due)).then()).block(TIMEOUT);
    }

    private static Mono<Void> write(StoreTx tx, Due due) {
        return tx.insertExecution(due.execution())
                .then(due.suspension() == null ? Mono.empty() : tx.insertSuspension(due.suspension()))
                .then(due.waitpoint() == null ? Mono.empty() : tx.insertWaitpoint(due.waitpoint()));
    }

    private static List<ExecutionId> find(DueKind kind, long now, String ns, String tagKey, String tagValue,
            int limit) {
        DueQuery query = new DueQuery(kind, now, ns, tagKey, tagValue, limit);
        return store.read(reads -> reads.findDue(query).collectList()).block(TIMEOUT);
    }
}
