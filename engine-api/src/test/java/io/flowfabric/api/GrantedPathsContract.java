package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.state.AttemptType;
import java.sql.Connection;
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
 * A backend's granted claim and completion (the core decides, the backend applies the grant in its own SQL)
 * against the core's transactional paths: the same operations on two fresh databases with one clock must
 * leave the same executions, attempts and outbox events, apart from the random lease and attempt ids, and
 * give the same answers, including to requests the granted path leaves to the core (stale, repeated,
 * lapsed) and to claims that resume an interrupted retry attempt.
 */
public abstract class GrantedPathsContract {
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Columns holding random ids: compared by whether they are set, not by value. */
    private static final Set<String> RANDOM = Set.of("lease_id", "current_attempt_id", "attempt_id");

    protected final TestClock clock = TestClock.startingNow();
    private final List<Engine> engines = new ArrayList<>();

    /** Opens an engine on a fresh database with {@link #clock} and manual reconcilers. */
    protected abstract Engine open(boolean granted);

    /** A new JDBC connection to the database of the engine opened with {@code granted}. */
    protected abstract Connection jdbc(boolean granted) throws SQLException;

    /**
     * The queries whose rows must match: every execution and attempt column, the lease events without the
     * random lease id in their details, the completion events; each in a stable order.
     */
    protected abstract List<String> comparedQueries();

    @AfterEach
    void close() {
        engines.forEach(engine -> engine.shutdown().block(TIMEOUT));
    }

    @Test
    void leaveTheSameRowsAsTheTransactionalPaths() throws SQLException {
        engines.add(open(true));
        engines.add(open(false));
        LaneId lane = LaneId.of("equivalence");
        ExecutionId timed = ExecutionId.solo(lane);
        ExecutionId retried = ExecutionId.solo(lane);
        ExecutionId retriedThenDelayed = ExecutionId.solo(lane);
        ExecutionId delayed = ExecutionId.solo(lane);
        List<CreateExecution> creates = List.of(
                CreateExecution.of("k", lane, Payload.utf8("p")).withExecutionId(timed).withTag("app.team", "a")
                        .withPolicy(CreateExecution.of("k", lane, Payload.EMPTY).policy()
                                .withAttemptTimeout(Duration.ofSeconds(10))),
                CreateExecution.of("k", lane, Payload.EMPTY).withExecutionId(retried).withPriority(5)
                        .withRetry(RetryPolicy.fixed(2, Duration.ofSeconds(5))),
                CreateExecution.of("k", lane, Payload.EMPTY).withExecutionId(retriedThenDelayed).withPriority(4)
                        .withRetry(RetryPolicy.fixed(2, Duration.ofSeconds(5))),
                CreateExecution.of("k", lane, Payload.EMPTY).withExecutionId(delayed).withPriority(3));
        for (Engine engine : engines) {
            creates.forEach(c -> engine.executions().create(c).block(TIMEOUT));
        }
        clock.advance(Duration.ofMillis(7));

        List<List<ClaimedExecution>> first = claimOnBoth(lane, 4);
        assertThat(first.get(0)).extracting(ClaimedExecution::executionId)
                .containsExactly(retried, retriedThenDelayed, delayed, timed);
        for (int i = 0; i < engines.size(); i++) {
            Leases leases = engines.get(i).leases();
            leases.fail(FailExecution.of(first.get(i).get(0), "Boom", "first")).block(TIMEOUT);
            leases.fail(FailExecution.of(first.get(i).get(1), "Boom", "first")).block(TIMEOUT);
            leases.delay(new DelayExecution(delayed, first.get(i).get(2).fence(), clock.instant().plusSeconds(5)))
                    .block(TIMEOUT);
        }
        clock.advance(Duration.ofSeconds(5));

        List<List<ClaimedExecution>> second = claimOnBoth(lane, 4);
        assertThat(second.get(0)).extracting(ClaimedExecution::executionId)
                .containsExactly(retried, retriedThenDelayed, delayed);
        assertThat(second.get(0)).extracting(ClaimedExecution::attemptType)
                .containsExactly(AttemptType.RETRY, AttemptType.RETRY, AttemptType.INITIAL);
        assertThat(second.get(0)).extracting(ClaimedExecution::resumedAttempt).containsExactly(false, false, true);
        assertThat(second.get(0).get(2).fence().attemptId()).isEqualTo(first.get(0).get(2).fence().attemptId());
        for (int i = 0; i < engines.size(); i++) {
            engines.get(i).leases().delay(new DelayExecution(retriedThenDelayed, second.get(i).get(1).fence(),
                    clock.instant().plusSeconds(1))).block(TIMEOUT);
        }
        clock.advance(Duration.ofSeconds(1));

        List<List<ClaimedExecution>> third = claimOnBoth(lane, 4);
        assertThat(third.get(0)).extracting(ClaimedExecution::executionId).containsExactly(retriedThenDelayed);
        assertThat(third.get(0).get(0).attemptType()).isEqualTo(AttemptType.RETRY);
        assertThat(third.get(0).get(0).resumedAttempt()).isTrue();

        // A batch with a live fence, the same request again, a stale fence; then single completions.
        List<List<String>> answers = new ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            ClaimedExecution retry = second.get(i).get(0);
            ClaimedExecution stale = first.get(i).get(0);
            List<CompleteExecution> batch = List.of(CompleteExecution.of(retry, Payload.utf8("r")),
                    CompleteExecution.of(retry, Payload.utf8("r")), CompleteExecution.of(stale, Payload.EMPTY));
            answers.add(engines.get(i).leases().completeBatch(batch)
                    .map(item -> item.index() + ":" + (item.error() == null ? "replay=" + item.value().replay()
                            : item.error().getClass().getSimpleName()))
                    .collectList().block(TIMEOUT));
            engines.get(i).leases().complete(CompleteExecution.of(second.get(i).get(2), Payload.utf8("d")))
                    .block(TIMEOUT);
            engines.get(i).leases().complete(CompleteExecution.of(third.get(i).get(0), Payload.EMPTY))
                    .block(TIMEOUT);
        }
        assertThat(answers.get(0)).containsExactly("0:replay=false", "1:replay=true", "2:StaleLeaseException")
                .isEqualTo(answers.get(1));
        clock.advance(Duration.ofMinutes(10));
        List<String> lapsed = new ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            ClaimedExecution timedClaim = first.get(i).get(3);
            lapsed.add(engines.get(i).leases().completeBatch(List.of(CompleteExecution.of(timedClaim, Payload.EMPTY)))
                    .map(item -> item.error().getClass().getSimpleName()).blockLast(TIMEOUT));
        }
        assertThat(lapsed).containsExactly("LeaseExpiredException", "LeaseExpiredException");

        for (String query : comparedQueries()) {
            assertThat(rows(true, query)).as(query).isEqualTo(rows(false, query)).isNotEmpty();
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

    private List<Map<String, Object>> rows(boolean granted, String sql) throws SQLException {
        try (Connection jdbc = jdbc(granted); ResultSet rs = jdbc.createStatement().executeQuery(sql)) {
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
