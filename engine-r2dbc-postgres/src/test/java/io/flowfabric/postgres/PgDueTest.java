package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.Transition;
import io.flowfabric.internal.DueKind;
import io.flowfabric.internal.DueQuery;
import io.flowfabric.internal.ExecutionRow;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;

/**
 * {@code findDue}: one scan per {@link DueKind} over {@code ff_exec_core} alone, its conditions, order, limit,
 * filters and index. The kinds that join suspensions and waitpoints are covered by {@link PgSignalDueTest}.
 */
class PgDueTest {
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

    /** The scans without a namespace filter see every row, so each test starts from an empty table. */
    @BeforeEach
    void emptyTable() {
        PostgresTestDatabase.execute(options, "TRUNCATE ff_exec_core");
    }

    /** A row of {@code namespace} whose {@code kind} condition holds from {@code at} on. */
    static ExecutionRow dueAt(DueKind kind, String namespace, long at) {
        ExecutionRow row = TestRows.runnable(namespace, "l", 1, T0 - 100_000);
        return switch (kind) {
            case LEASE_EXPIRED -> TestRows.leased(row, at);
            case DELAY_DUE -> TestRows.delayed(row, at);
            case ATTEMPT_TIMED_OUT -> {
                TestRows.leased(row, at + 60_000).attemptDeadlineAtMs = at;
                yield row;
            }
            case DEADLINE_PASSED -> {
                row.deadlineAtMs = at;
                yield row;
            }
            case RETENTION_DUE -> TestRows.terminal(row, at);
            case SUSPENSION_TIMED_OUT, WAITPOINT_EXPIRED -> throw new IllegalArgumentException(kind
                    + " needs rows besides the execution; see PgSignalDueTest");
        };
    }

    @ParameterizedTest
    @EnumSource(value = DueKind.class, mode = EnumSource.Mode.EXCLUDE, names = {"SUSPENSION_TIMED_OUT",
            "WAITPOINT_EXPIRED"})
    void dueRowsComeOldestFirstUpToTheLimitAndTheBoundIsInclusive(DueKind kind) {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow at30 = dueAt(kind, ns, T0 + 30);
        ExecutionRow at10 = dueAt(kind, ns, T0 + 10);
        ExecutionRow at20 = dueAt(kind, ns, T0 + 20);
        insert(at30, at10, at20, dueAt(kind, ns, T0 + 100));

        assertThat(find(kind, T0 + 9, null, null, null, 10)).isEmpty();
        assertThat(find(kind, T0 + 30, null, null, null, 10)).containsExactly(at10.id(), at20.id(), at30.id());
        assertThat(find(kind, T0 + 99, null, null, null, 2)).containsExactly(at10.id(), at20.id());
    }

    @ParameterizedTest
    @EnumSource(value = DueKind.class, mode = EnumSource.Mode.EXCLUDE, names = {"SUSPENSION_TIMED_OUT",
            "WAITPOINT_EXPIRED"})
    void namespaceAndTagFiltersNarrowTheScan(DueKind kind) {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow teamA = tagged(dueAt(kind, ns, T0), "{\"app.team\": \"a\", \"app.env\": \"prod\"}");
        ExecutionRow teamB = tagged(dueAt(kind, ns, T0 + 1), "{\"app.team\": \"b\"}");
        ExecutionRow untagged = dueAt(kind, ns, T0 + 2);
        ExecutionRow otherTeamA = tagged(dueAt(kind, ns + "-other", T0 + 3), "{\"app.team\": \"a\"}");
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
    void leaseExpiredIgnoresLeasesThatAreNoLongerHeld() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow lapsed = TestRows.leased(TestRows.runnable(ns, "l", 1, T0), T0);
        ExecutionRow alreadyReclaimable = TestRows.after(TestRows.leased(TestRows.runnable(ns, "l", 1, T0), T0),
                Transition.LEASE_EXPIRE);
        ExecutionRow revoked = TestRows.after(TestRows.leased(TestRows.runnable(ns, "l", 1, T0), T0),
                Transition.REVOKE_LEASE);
        ExecutionRow ended = TestRows.terminal(TestRows.leased(TestRows.runnable(ns, "l", 1, T0), T0), T0);
        insert(lapsed, alreadyReclaimable, revoked, ended);

        assertThat(find(DueKind.LEASE_EXPIRED, T0 + 1, ns, null, null, 10)).containsExactly(lapsed.id());
    }

    @Test
    void delayDueIgnoresEligibleAndNonRunnableRows() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow delayed = TestRows.delayed(TestRows.runnable(ns, "l", 1, T0), T0);
        ExecutionRow eligible = TestRows.runnable(ns, "l", 1, T0 - 5);
        ExecutionRow active = TestRows.leased(TestRows.runnable(ns, "l", 1, T0 - 5), T0 + 60_000);
        insert(delayed, eligible, active);

        assertThat(find(DueKind.DELAY_DUE, T0, ns, null, null, 10)).containsExactly(delayed.id());
    }

    @Test
    void attemptTimedOutOnlyConsidersActiveRowsWithADeadline() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow timedOut = dueAt(DueKind.ATTEMPT_TIMED_OUT, ns, T0);
        ExecutionRow noDeadline = TestRows.leased(TestRows.runnable(ns, "l", 1, T0), T0 + 60_000);
        ExecutionRow interrupted = TestRows.after(dueAt(DueKind.ATTEMPT_TIMED_OUT, ns, T0), Transition.DELAY);
        ExecutionRow ended = TestRows.terminal(dueAt(DueKind.ATTEMPT_TIMED_OUT, ns, T0), T0);
        insert(timedOut, noDeadline, interrupted, ended);

        assertThat(find(DueKind.ATTEMPT_TIMED_OUT, T0 + 1, ns, null, null, 10)).containsExactly(timedOut.id());
    }

    @Test
    void deadlinePassedCoversEveryNonTerminalPhase() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow waiting = dueAt(DueKind.DEADLINE_PASSED, ns, T0);
        ExecutionRow active = TestRows.leased(dueAt(DueKind.DEADLINE_PASSED, ns, T0 + 1), T0 + 60_000);
        ExecutionRow delayed = TestRows.delayed(dueAt(DueKind.DEADLINE_PASSED, ns, T0 + 2), T0 + 60_000);
        ExecutionRow ended = TestRows.terminal(dueAt(DueKind.DEADLINE_PASSED, ns, T0), T0);
        ExecutionRow noDeadline = TestRows.runnable(ns, "l", 1, T0);
        insert(waiting, active, delayed, ended, noDeadline);

        assertThat(find(DueKind.DEADLINE_PASSED, T0 + 10, ns, null, null, 10))
                .containsExactly(waiting.id(), active.id(), delayed.id());
    }

    @Test
    void retentionDueOnlyConsidersTerminalRows() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow ended = TestRows.terminal(TestRows.runnable(ns, "l", 1, T0), T0);
        ExecutionRow cancelled = TestRows.after(TestRows.runnable(ns, "l", 1, T0), Transition.OPERATOR_CANCEL);
        cancelled.terminalAtMs = T0 + 1;
        ExecutionRow activeWithStaleTerminalTime = TestRows.activeWithEverySet(TestRows.runnable(ns, "l", 1, T0));
        insert(ended, cancelled, activeWithStaleTerminalTime);

        assertThat(find(DueKind.RETENTION_DUE, T0 + 10, ns, null, null, 10))
                .containsExactly(ended.id(), cancelled.id());
    }

    @Test
    void aTransactionSeesItsOwnUncommittedRows() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow row = dueAt(DueKind.DELAY_DUE, ns, T0);
        DueQuery query = new DueQuery(DueKind.DELAY_DUE, T0, ns, null, null, 10);

        List<ExecutionId> found = store.inTransaction(tx -> tx.insertExecution(row)
                .thenMany(tx.findDue(query)).collectList()).block(TIMEOUT);

        assertThat(found).containsExactly(row.id());
    }

    @ParameterizedTest
    @EnumSource(DueKind.class)
    void eachScanReadsItsPartialIndexInOrderForCustomAndGenericPlans(DueKind kind) {
        String index = switch (kind) {
            case LEASE_EXPIRED -> "ff_exec_core_lease_expiry_idx";
            case DELAY_DUE -> "ff_exec_core_delayed_idx";
            case ATTEMPT_TIMED_OUT -> "ff_exec_core_attempt_deadline_idx";
            case DEADLINE_PASSED -> "ff_exec_core_deadline_idx";
            case RETENTION_DUE -> "ff_exec_core_retention_idx";
            case SUSPENSION_TIMED_OUT -> "ff_suspension_timeout_idx";
            case WAITPOINT_EXPIRED -> "ff_waitpoint_expiry_idx";
        };
        String types = "bigint, text, text, text, integer";
        for (String arguments : List.of(T0 + ", NULL, NULL, NULL, 500", T0 + ", 'ns', 'app.team', 'a', 500")) {
            for (boolean generic : new boolean[] {false, true}) {
                String plan = PgPlans.explain(options, PgDue.statement(kind), types, arguments, generic);
                assertThat(plan).as("%s (%s, generic=%s)", kind, arguments, generic)
                        .contains("Index Scan using " + index).doesNotContain("Sort");
            }
        }
    }

    private static ExecutionRow tagged(ExecutionRow row, String tagsJson) {
        row.tagsJson = tagsJson;
        return row;
    }

    private static void insert(ExecutionRow... rows) {
        store.inTransaction(tx -> Flux.fromArray(rows).concatMap(tx::insertExecution).then()).block(TIMEOUT);
    }

    private static List<ExecutionId> find(DueKind kind, long now, String ns, String tagKey, String tagValue,
            int limit) {
        DueQuery query = new DueQuery(kind, now, ns, tagKey, tagValue, limit);
        return store.read(reads -> reads.findDue(query).collectList()).block(TIMEOUT);
    }
}
