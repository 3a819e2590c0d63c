package io.flowfabric.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.DelayExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.FailExecution;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.TestClock;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.WorkerInstanceId;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.state.AttemptType;
import io.r2dbc.pool.ConnectionPool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one-statement claim and completion ({@link PgClaim}, {@link PgComplete}) against the core's
 * transactional paths: the same operations on two fresh databases with one clock must leave the same
 * executions, attempts and outbox events, apart from the random lease and attempt ids, and give the same
 * answers, including to requests the one statement leaves to the core (stale, repeated, lapsed).
 */
class PgOneStatementPathsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Columns holding random ids: compared by whether they are set, not by value. */
    private static final Set<String> RANDOM = Set.of("lease_id", "current_attempt_id", "attempt_id");

    private final TestClock clock = TestClock.startingNow();
    private final List<Engine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(engine -> engine.shutdown().block(TIMEOUT));
    }

    @Test
    void leaveTheSameRowsAsTheTransactionalPaths() throws SQLException {
        PostgresOptions oneOptions = PostgresTestDatabase.instance().freshDatabase().withClock(clock)
                .withReconcilers(ReconcilerSettings.manual());
        PostgresOptions txOptions = PostgresTestDatabase.instance().freshDatabase().withClock(clock)
                .withReconcilers(ReconcilerSettings.manual());
        Engine one = open(oneOptions, true);
        Engine tx = open(txOptions, false);
        LaneId lane = LaneId.of("equivalence");
        ExecutionId timed = ExecutionId.solo(lane);
        ExecutionId retried = ExecutionId.solo(lane);
        ExecutionId delayed = ExecutionId.solo(lane);
        List<CreateExecution> creates = List.of(
                CreateExecution.of("k", lane, Payload.utf8("p")).withExecutionId(timed).withTag("app.team", "a")
                        .withPolicy(CreateExecution.of("k", lane, Payload.EMPTY).policy()
                                .withAttemptTimeout(Duration.ofSeconds(10))),
                CreateExecution.of("k", lane, Payload.EMPTY).withExecutionId(retried).withPriority(5)
                        .withRetry(RetryPolicy.fixed(2, Duration.ofSeconds(5))),
                CreateExecution.of("k", lane, Payload.EMPTY).withExecutionId(delayed).withPriority(3));
        for (Engine engine : engines) {
            creates.forEach(c -> engine.executions().create(c).block(TIMEOUT));
        }
        clock.advance(Duration.ofMillis(7));

        List<List<ClaimedExecution>> first = claimOnBoth(lane, 3);
        assertThat(first.get(0)).extracting(ClaimedExecution::executionId).containsExactly(retried, delayed, timed);
        for (int i = 0; i < engines.size(); i++) {
            Engine engine = engines.get(i);
            ClaimedExecution r = first.get(i).get(0);
            ClaimedExecution d = first.get(i).get(1);
            engine.leases().fail(FailExecution.of(r, "Boom", "first")).block(TIMEOUT);
            engine.leases().delay(new DelayExecution(delayed, d.fence(), clock.instant().plusSeconds(5)))
                    .block(TIMEOUT);
        }
        clock.advance(Duration.ofSeconds(5));

        List<List<ClaimedExecution>> second = claimOnBoth(lane, 3);
        assertThat(second.get(0)).extracting(ClaimedExecution::executionId).containsExactly(retried, delayed);
        assertThat(second.get(0)).extracting(ClaimedExecution::attemptType)
                .containsExactly(AttemptType.RETRY, AttemptType.INITIAL);
        assertThat(second.get(0)).extracting(ClaimedExecution::resumedAttempt).containsExactly(false, true);
        assertThat(second.get(0).get(1).fence().attemptId()).isEqualTo(first.get(0).get(1).fence().attemptId());

        // A batch with a live fence, the same request again, a stale fence and a lapsed lease; then a
        // single completion of a live fence.
        clock.advance(Duration.ofSeconds(1));
        List<List<String>> answers = new ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            ClaimedExecution retry = second.get(i).get(0);
            ClaimedExecution resumed = second.get(i).get(1);
            ClaimedExecution stale = first.get(i).get(0);
            List<CompleteExecution> batch = List.of(CompleteExecution.of(retry, Payload.utf8("r")),
                    CompleteExecution.of(retry, Payload.utf8("r")), CompleteExecution.of(stale, Payload.EMPTY));
            answers.add(engines.get(i).leases().completeBatch(batch)
                    .map(item -> item.index() + ":" + (item.error() == null ? "replay=" + item.value().replay()
                            : item.error().getClass().getSimpleName()))
                    .collectList().block(TIMEOUT));
            engines.get(i).leases().complete(CompleteExecution.of(resumed, Payload.utf8("d"))).block(TIMEOUT);
        }
        assertThat(answers.get(0)).containsExactly("0:replay=false", "1:replay=true", "2:StaleLeaseException")
                .isEqualTo(answers.get(1));
        clock.advance(Duration.ofMinutes(10));
        List<String> lapsed = new ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            ClaimedExecution timedClaim = first.get(i).get(2);
            lapsed.add(engines.get(i).leases().completeBatch(List.of(CompleteExecution.of(timedClaim, Payload.EMPTY)))
                    .map(item -> item.error().getClass().getSimpleName()).blockLast(TIMEOUT));
        }
        assertThat(lapsed).containsExactly("LeaseExpiredException", "LeaseExpiredException");

        for (String table : List.of(
                "SELECT * FROM ff_exec_core ORDER BY execution_id",
                "SELECT * FROM ff_attempt ORDER BY execution_id, attempt_index",
                "SELECT execution_id, namespace, event_type, tags_json, occurred_at_ms, details_json - 'lease_id'"
                        + " AS details FROM ff_lease_event ORDER BY event_id",
                "SELECT execution_id, namespace, event_type, tags_json, occurred_at_ms, details_json"
                        + " FROM ff_completion_event ORDER BY event_id")) {
            assertThat(rows(oneOptions, table)).as(table).isEqualTo(rows(txOptions, table)).isNotEmpty();
        }
    }

    /** Claims on both engines; the claims, in the order of the engines, compared field by field. */
    private List<List<ClaimedExecution>> claimOnBoth(LaneId lane, int max) {
        ClaimRequest request = ClaimRequest.of(lane, WorkerId.of("w"), WorkerInstanceId.of("i"));
        List<List<ClaimedExecution>> claims = engines.stream()
                .map(engine -> engine.leases().claimBatch(request, max).collectList().block(TIMEOUT))
                .toList();
        assertThat(claims.get(0)).usingRecursiveFieldByFieldElementComparatorIgnoringFields("fence.leaseId",
                "fence.attemptId").isEqualTo(claims.get(1));
        return claims;
    }

    private Engine open(PostgresOptions options, boolean oneStatementClaims) {
        ConnectionPool pool = PostgresEngine.pool(options);
        PgStore store = new PgStore(pool, PostgresEngine.listener(options), pool.disposeLater(), oneStatementClaims);
        PgMigrations.migrate(options).block(TIMEOUT);
        Engine engine = PostgresEngine.start(store, options).block(TIMEOUT);
        engines.add(engine);
        return engine;
    }

    private static List<Map<String, Object>> rows(PostgresOptions options, String sql) throws SQLException {
        try (Connection jdbc = DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
                ResultSet rs = jdbc.createStatement().executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    String name = meta.getColumnName(c);
                    Object value = rs.getObject(c);
                    row.put(name, RANDOM.contains(name) ? (value == null ? "null" : "set")
                            : value == null ? null : value instanceof byte[] b ? new String(b) : value.toString());
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
