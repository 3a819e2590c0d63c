package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.internal.AttemptEnd;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.FeedPosition;
import io.flowfabric.internal.OutboxRow;
import io.flowfabric.internal.Store;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * {@link PgStore#optimistic}: reads without locks, then one statement whose writes for an execution apply
 * only while the row is at the version read, all of them or none.
 */
class PgOptimisticWriteTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static PgStore store;

    @BeforeAll
    static void open() {
        store = PostgresEngine.openStore(PostgresTestDatabase.instance().freshDatabase()).block(TIMEOUT);
    }

    @AfterAll
    static void close() {
        store.close().block(TIMEOUT);
    }

    @Test
    void anUnchangedRowIsWrittenWithItsAttemptAndEvents() {
        ExecutionRow row = inserted();
        Store.Optimistic<String> outcome = store.optimistic(tx -> tx.lockExecution(row.id()).flatMap(read -> {
            read.progressMessage = "written";
            return tx.updateExecution(read)
                    .then(tx.endAttempt(end(read)))
                    .then(tx.appendEvent(event(read)))
                    .thenReturn("done");
        })).block(TIMEOUT);

        assertThat(outcome.value()).isEqualTo("done");
        assertThat(outcome.conflicts()).isEmpty();
        ExecutionRow stored = find(row.id());
        assertThat(stored.progressMessage).isEqualTo("written");
        assertThat(stored.rowVersion).isEqualTo(row.rowVersion + 1);
        assertThat(attempt(row).attemptLifecycle).isEqualTo(AttemptLifecycle.ENDED_SUCCESS);
        assertThat(events(row)).hasSize(1);
    }

    @Test
    void aRowChangedAfterTheReadIsReportedAndNothingOfItIsWritten() {
        ExecutionRow row = inserted();
        Store.Optimistic<String> outcome = store.optimistic(tx -> tx.lockExecution(row.id()).flatMap(read -> {
            // Another writer changes the row between this read and this write.
            Mono<Void> otherWriter = store.inTransaction(other -> other.lockExecution(row.id()).flatMap(locked -> {
                locked.progressMessage = "other writer";
                return other.updateExecution(locked);
            }));
            read.progressMessage = "stale";
            return otherWriter.then(tx.updateExecution(read))
                    .then(tx.endAttempt(end(read)))
                    .then(tx.appendEvent(event(read)))
                    .thenReturn("done");
        })).block(TIMEOUT);

        assertThat(outcome.conflicts()).containsExactly(row.id());
        assertThat(find(row.id()).progressMessage).isEqualTo("other writer");
        assertThat(attempt(row).attemptLifecycle).isEqualTo(AttemptLifecycle.STARTED);
        assertThat(events(row)).isEmpty();
    }

    @Test
    void onlyTheChangedExecutionOfSeveralIsLeftUnwritten() {
        ExecutionRow kept = inserted();
        ExecutionRow changed = inserted();
        Store.Optimistic<Void> outcome = store.optimistic(tx -> tx.lockExecutions(List.of(kept.id(), changed.id()))
                .collectList()
                .flatMap(rows -> {
                    Mono<Void> otherWriter = store.inTransaction(other -> other.lockExecution(changed.id())
                            .flatMap(other::updateExecution));
                    return otherWriter.then(Mono.when(rows.stream().map(read -> {
                        read.progressPct = 99;
                        return tx.updateExecution(read).then(tx.appendEvent(event(read)));
                    }).toList()));
                })).block(TIMEOUT);

        assertThat(outcome.conflicts()).isEqualTo(Set.of(changed.id()));
        assertThat(find(kept.id()).progressPct).isEqualTo(99);
        assertThat(find(changed.id()).progressPct).isNull();
        assertThat(events(kept)).hasSize(1);
        assertThat(events(changed)).isEmpty();
    }

    @Test
    void readingAfterWritingOrWritingOutsideTheBatchIsRefused() {
        ExecutionRow row = inserted();
        StepVerifier.create(store.optimistic(tx -> tx.lockExecution(row.id())
                        .flatMap(read -> tx.updateExecution(read).then(tx.findExecution(row.id())))))
                .expectError(IllegalStateException.class).verify(TIMEOUT);
        StepVerifier.create(store.optimistic(tx -> tx.insertExecution(
                        TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0))))
                .expectError(IllegalStateException.class).verify(TIMEOUT);
        StepVerifier.create(store.optimistic(tx -> tx.lockExecution(row.id()).flatMap(read -> tx.appendEvent(event(read)))))
                .expectError(IllegalStateException.class).verify(TIMEOUT);
        assertThat(find(row.id()).rowVersion).isEqualTo(row.rowVersion);
        assertThat(events(row)).isEmpty();
    }

    @Test
    void aSingleStatementRunsWithoutATransactionAndRefusesASecond() {
        ExecutionRow first = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        ExecutionRow second = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        assertThat(store.singleStatement(tx -> tx.insertExecution(first)).block(TIMEOUT)).isTrue();
        assertThat(find(first.id())).isNotNull();

        StepVerifier.create(store.singleStatement(tx -> tx.findExecution(first.id())
                        .then(tx.insertExecution(second))))
                .expectError(IllegalStateException.class).verify(TIMEOUT);
        assertThat(find(second.id())).isNull();
    }

    private static ExecutionRow inserted() {
        ExecutionRow row = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        AttemptRow attempt = TestRows.attempt(row, 0);
        row.currentAttemptIndex = 0;
        store.inTransaction(tx -> tx.insertExecution(row).then(tx.insertAttempt(attempt))).block(TIMEOUT);
        return find(row.id());
    }

    private static ExecutionRow find(ExecutionId id) {
        return store.read(reads -> reads.findExecution(id)).block(TIMEOUT);
    }

    private static AttemptRow attempt(ExecutionRow row) {
        return store.read(reads -> reads.findAttempts(row.id()).single()).block(TIMEOUT);
    }

    private static AttemptEnd end(ExecutionRow row) {
        return new AttemptEnd(row.id(), 0, AttemptLifecycle.ENDED_SUCCESS, T0 + 10, null, null);
    }

    private static OutboxRow event(ExecutionRow row) {
        OutboxRow event = TestRows.outbox(Feed.LEASE, row.namespace, "released", "t", T0);
        event.partitionKey = row.partitionKey;
        event.executionId = row.executionId;
        return event;
    }

    private static List<OutboxRow> events(ExecutionRow row) {
        return store.feeds().readAfter(Feed.LEASE, FeedPosition.ZERO, 10_000)
                .filter(event -> event.executionId.equals(row.executionId)).collectList().block(TIMEOUT);
    }
}
