package io.flowfabric.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.CreateResult;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Namespace;
import io.flowfabric.api.Payload;
import io.flowfabric.api.TestClock;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.WorkerInstanceId;
import io.flowfabric.api.feed.CompletionEvent;
import io.flowfabric.api.feed.FeedRequest;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.reconcile.ReconcileReport;
import io.flowfabric.api.reconcile.Reconciler;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.reconcile.Reconcilers;
import io.flowfabric.api.state.TerminalOutcome;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Two engines (two pools, two clocks set to the same instant) run the same reconciler against one
 * database at the same time, several passes each and repeatedly: every due execution must be changed
 * exactly once, and its feed event written exactly once.
 */
class PgTwoEnginesReconcilerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int N = 200;
    /** Passes started together per round, alternating between the engines. */
    private static final int PASSES_PER_ROUND = 4;
    private static final int ROUNDS = 3;

    private static PostgresOptions options;
    private static TestClock clockA;
    private static TestClock clockB;
    private static Engine a;
    private static Engine b;

    private Namespace namespace;
    private LaneId lane;

    @BeforeAll
    static void open() {
        options = PostgresTestDatabase.instance().freshDatabase().withReconcilers(ReconcilerSettings.manual());
        clockA = TestClock.startingNow();
        clockB = TestClock.startingNow();
        a = PostgresEngine.connect(options.withClock(clockA)).block(TIMEOUT);
        b = PostgresEngine.connect(options.withClock(clockB)).block(TIMEOUT);
    }

    @AfterAll
    static void close() {
        for (Engine engine : new Engine[] {a, b}) {
            if (engine != null) {
                engine.shutdown().block(TIMEOUT);
            }
        }
    }

    @BeforeEach
    void freshNamespace() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        namespace = Namespace.of("two-" + suffix);
        lane = LaneId.of("lane-" + suffix);
    }

    @Test
    void leaseExpiryExpiresEachLapsedLeaseOnce() {
        List<ExecutionId> ids = createAll(request -> request);
        claimAll(Duration.ofSeconds(1));
        assertThat(totals(race(Reconcilers::leaseExpiry)).actedOn()).isZero();

        advanceBoth(Duration.ofSeconds(1));
        ReconcileReport total = totals(race(Reconcilers::leaseExpiry));

        assertThat(total.actedOn()).isEqualTo(N);
        assertThat(total.failed()).isZero();
        assertOverlapped(total);
        assertThat(count("SELECT count(*) FROM ff_exec_core WHERE namespace = ?"
                + " AND ownership_state = 'lease_expired_reclaimable'")).isEqualTo(N);
        assertThat(eventCounts("ff_lease_event", "expired")).containsExactly((long) N, (long) N);
        Set<ExecutionId> fromFeed = a.feeds().leaseHistory(FeedRequest.fromBeginning().withNamespace(namespace))
                .filter(event -> event.type() == LeaseEvent.Type.EXPIRED).take(N).map(LeaseEvent::executionId)
                .collect(Collectors.toSet()).block(TIMEOUT);
        assertThat(fromFeed).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void delayedPromotionPromotesEachDueExecutionOnce() {
        createAll(request -> request.withDelayUntil(clockA.instant().plusSeconds(10)));
        assertThat(totals(race(Reconcilers::delayedPromotion)).actedOn()).isZero();

        advanceBoth(Duration.ofSeconds(10));
        ReconcileReport total = totals(race(Reconcilers::delayedPromotion));

        assertThat(total.actedOn()).isEqualTo(N);
        assertThat(total.failed()).isZero();
        assertOverlapped(total);
        assertThat(count("SELECT count(*) FROM ff_exec_core WHERE namespace = ?"
                + " AND lifecycle_phase = 'runnable' AND eligibility_state = 'eligible_now'")).isEqualTo(N);
    }

    @Test
    void executionDeadlineExpiresEachExecutionOnceWithOneCompletion() {
        ExecutionPolicy policy = ExecutionPolicy.DEFAULT.withExecutionDeadline(Duration.ofMinutes(1));
        List<ExecutionId> ids = createAll(request -> request.withPolicy(policy));
        // Half of them run under a lease, so both the runnable and the active path race.
        List<ClaimedExecution> claimed = a.leases().claimBatch(claimRequest(Duration.ofMinutes(5)), N / 2)
                .collectList().block(TIMEOUT);
        assertThat(claimed).hasSize(N / 2);
        assertThat(totals(race(Reconcilers::executionDeadline)).actedOn()).isZero();

        advanceBoth(Duration.ofMinutes(1));
        ReconcileReport total = totals(race(Reconcilers::executionDeadline));

        assertThat(total.actedOn()).isEqualTo(N);
        assertThat(total.failed()).isZero();
        assertOverlapped(total);
        assertThat(count("SELECT count(*) FROM ff_exec_core WHERE namespace = ?"
                + " AND lifecycle_phase = 'terminal' AND terminal_outcome = 'expired'")).isEqualTo(N);
        assertThat(eventCounts("ff_completion_event", "expired")).containsExactly((long) N, (long) N);
        assertThat(eventCounts("ff_lease_event", "revoked")).containsExactly((long) N / 2, (long) N / 2);
        List<CompletionEvent> completions = b.feeds().completions(FeedRequest.fromBeginning()
                .withNamespace(namespace)).take(N).collectList().block(TIMEOUT);
        assertThat(completions).extracting(CompletionEvent::outcome).containsOnly(TerminalOutcome.EXPIRED);
        assertThat(completions).extracting(CompletionEvent::executionId).containsExactlyInAnyOrderElementsOf(ids);
    }

    /** Creates N executions in this test's namespace and lane, alternating between the engines. */
    private List<ExecutionId> createAll(UnaryOperator<CreateExecution> customise) {
        return Flux.range(0, N)
                .flatMap(i -> engine(i).executions().create(customise.apply(
                        CreateExecution.of("two-engines", lane, Payload.EMPTY).withNamespace(namespace))), 16)
                .map(CreateResult::executionId)
                .collectList()
                .block(TIMEOUT);
    }

    /** Claims all N, half through each engine. */
    private void claimAll(Duration ttl) {
        List<ClaimedExecution> claimed = new ArrayList<>();
        claimed.addAll(a.leases().claimBatch(claimRequest(ttl), N / 2).collectList().block(TIMEOUT));
        claimed.addAll(b.leases().claimBatch(claimRequest(ttl), N).collectList().block(TIMEOUT));
        assertThat(claimed).hasSize(N);
    }

    private ClaimRequest claimRequest(Duration ttl) {
        return ClaimRequest.of(lane, WorkerId.of("worker"), WorkerInstanceId.of("instance"))
                .withNamespace(namespace).withLeaseTtl(ttl);
    }

    private static void advanceBoth(Duration by) {
        clockA.advance(by);
        clockB.advance(by);
        assertThat(clockA.millis()).isEqualTo(clockB.millis());
    }

    /**
     * {@link #ROUNDS} rounds; in each, {@link #PASSES_PER_ROUND} passes of the reconciler start at once,
     * alternating between the engines, and the round ends when all have finished.
     */
    private static List<ReconcileReport> race(Function<Reconcilers, Reconciler> which) {
        List<ReconcileReport> reports = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            reports.addAll(Flux.range(0, PASSES_PER_ROUND)
                    .flatMap(i -> which.apply(engine(i).reconcilers()).runOnce(), PASSES_PER_ROUND)
                    .collectList()
                    .block(TIMEOUT));
        }
        return reports;
    }

    /**
     * More rows examined than exist means passes found the same rows due at the same time, so the exact
     * count above was reached under contention and not by passes running one after another.
     */
    private static void assertOverlapped(ReconcileReport total) {
        assertThat(total.examined()).as("rows examined by all passes").isGreaterThan(N);
    }

    private static ReconcileReport totals(List<ReconcileReport> reports) {
        return new ReconcileReport("total", reports.stream().mapToInt(ReconcileReport::examined).sum(),
                reports.stream().mapToInt(ReconcileReport::actedOn).sum(),
                reports.stream().mapToInt(ReconcileReport::failed).sum());
    }

    private static Engine engine(int i) {
        return i % 2 == 0 ? a : b;
    }

    /** The number of {@code type} rows of {@code table} in this namespace, and of distinct executions among them. */
    private List<Long> eventCounts(String table, String type) {
        // The table name is one of this test's constants; the values are bound.
        return query("SELECT count(*), count(DISTINCT (partition_key, execution_id)) FROM " + table
                + " WHERE namespace = ? AND event_type = ?", type);
    }

    private long count(String sql) {
        return query(sql, null).get(0);
    }

    private List<Long> query(String sql, String second) {
        try (Connection jdbc = DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
                PreparedStatement statement = jdbc.prepareStatement(sql)) {
            statement.setString(1, namespace.value());
            if (second != null) {
                statement.setString(2, second);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                List<Long> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getLong(i));
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
