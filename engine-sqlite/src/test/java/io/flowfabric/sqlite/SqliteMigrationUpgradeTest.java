package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.FeedPosition;
import io.flowfabric.internal.OutboxRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by an older schema version keeps every row when the store opens it and migrates it to
 * the newest version: here the version before attempts became a clustered table and the outbox position
 * indexes were dropped.
 */
class SqliteMigrationUpgradeTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void attemptsAndOutboxRowsSurviveTheUpgrade() throws SQLException {
        Path file = dir.resolve("old.db");
        ExecutionId id = new ExecutionId(7, UUID.randomUUID());
        UUID attemptId = UUID.randomUUID();
        UUID leaseId = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            Flyway.configure(getClass().getClassLoader()).dataSource(new Migrations.LentConnection(c))
                    .locations(Migrations.LOCATION).target("8").load().migrate();
            try (Statement st = c.createStatement()) {
                for (int index = 0; index < 2; index++) {
                    st.executeUpdate("INSERT INTO ff_attempt VALUES (7, '" + id.uuid() + "', " + index + ", '"
                            + (index == 1 ? attemptId : UUID.randomUUID()) + "', '"
                            + (index == 0 ? "initial" : "retry") + "', '"
                            + (index == 0 ? "ended_failure" : "started") + "', '" + leaseId + "', " + (index + 1)
                            + ", 'worker-a', 'instance-1', " + (1000 + index) + ", "
                            + (index == 0 ? "1500, 'boom', 'it broke'" : "NULL, NULL, NULL") + ")");
                }
                st.executeUpdate("INSERT INTO ff_completion_event (partition_key, execution_id, namespace, event_type,"
                        + " tags_json, occurred_at_ms, details_json) VALUES (7, '" + id.uuid()
                        + "', 'ns', 'success', '{}', 2000, '{}')");
            }
        }

        SqliteStore store = SqliteStore.open(SqliteOptions.file(file)).block(TIMEOUT);
        try {
            List<AttemptRow> attempts = store.read(r -> r.findAttempts(id).collectList()).block(TIMEOUT);
            assertThat(attempts).extracting(a -> a.attemptIndex).containsExactly(0, 1);
            assertThat(attempts.get(0).attemptType).isEqualTo(AttemptType.INITIAL);
            assertThat(attempts.get(0).attemptLifecycle).isEqualTo(AttemptLifecycle.ENDED_FAILURE);
            assertThat(attempts.get(0).endedAtMs).isEqualTo(1500L);
            assertThat(attempts.get(0).errorType).isEqualTo("boom");
            assertThat(attempts.get(0).errorMessage).isEqualTo("it broke");
            AttemptRow current = attempts.get(1);
            assertThat(current.attemptId).isEqualTo(attemptId);
            assertThat(current.attemptType).isEqualTo(AttemptType.RETRY);
            assertThat(current.attemptLifecycle).isEqualTo(AttemptLifecycle.STARTED);
            assertThat(current.leaseId).isEqualTo(leaseId);
            assertThat(current.leaseEpoch).isEqualTo(2L);
            assertThat(current.workerId).isEqualTo("worker-a");
            assertThat(current.workerInstanceId).isEqualTo("instance-1");
            assertThat(current.startedAtMs).isEqualTo(1001L);
            assertThat(current.endedAtMs).isNull();

            List<OutboxRow> events = store.feeds().readAfter(Feed.COMPLETION, FeedPosition.ZERO, 10)
                    .collectList().block(TIMEOUT);
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.executionId).isEqualTo(id.uuid());
                assertThat(e.eventType).isEqualTo("success");
            });
        } finally {
            store.close().block(TIMEOUT);
        }
    }
}
