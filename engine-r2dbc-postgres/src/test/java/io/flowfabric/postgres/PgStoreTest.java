package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.internal.AttemptEnd;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.OutboxRow;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The Store SPI against a real PostgreSQL: rows, attempts, transactions and idempotency keys. */
class PgStoreTest {
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
    void migrationCreatedTheTablesAndRecordedTheVersion() throws Exception {
        try (Connection jdbc = DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
                ResultSet rs = jdbc.createStatement().executeQuery("""
                        SELECT to_regclass('ff_exec_core') IS NOT NULL,
                               to_regclass('ff_attempt') IS NOT NULL,
                               to_regclass('ff_idempotency_key') IS NOT NULL,
                               to_regclass('ff_completion_event') IS NOT NULL,
                               to_regclass('ff_outbox_trim') IS NOT NULL,
                               to_regclass('ff_exec_core_reclaim_idx') IS NOT NULL,
                               (SELECT max(version::int) FROM flyway_schema_history WHERE success)
                        """)) {
            assertThat(rs.next()).isTrue();
            assertThat(List.of(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4),
                    rs.getBoolean(5), rs.getBoolean(6))).containsOnly(true);
            // V3 (reconciler indexes) is the newest at the time of writing; later migrations only raise it.
            assertThat(rs.getInt(7)).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void insertThenFindReturnsEveryColumn() {
        ExecutionRow row = TestRows.activeWithEverySet(TestRows.runnable(TestRows.uniqueNamespace(), "l", 5, T0));
        StepVerifier.create(store.inTransaction(tx -> tx.insertExecution(row))).expectNext(true).verifyComplete();

        StepVerifier.create(store.read(reads -> reads.findExecution(row.id())))
                .assertNext(found -> assertThat(found).usingRecursiveComparison().isEqualTo(row))
                .verifyComplete();
    }

    @Test
    void nullableColumnsRoundTripAsNull() {
        ExecutionRow row = TestRows.runnable(TestRows.uniqueNamespace(), "l", 0, T0);
        row.payload = new byte[0];
        store.inTransaction(tx -> tx.insertExecution(row)).block(TIMEOUT);

        ExecutionRow found = store.read(reads -> reads.findExecution(row.id())).block(TIMEOUT);
        assertThat(found).usingRecursiveComparison().isEqualTo(row);
        assertThat(found.result).isNull();
        assertThat(found.leaseId).isNull();
        assertThat(found.currentAttemptIndex).isNull();
        assertThat(found.requiredCapabilities).isEmpty();
    }

    @Test
    void findOfAMissingIdIsEmpty() {
        StepVerifier.create(store.read(reads -> reads.findExecution(new ExecutionId(3, UUID.randomUUID()))))
                .verifyComplete();
    }

    @Test
    void duplicateInsertReturnsFalseAndChangesNothing() {
        ExecutionRow row = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        store.inTransaction(tx -> tx.insertExecution(row)).block(TIMEOUT);
        ExecutionRow again = TestRows.runnable(row.namespace, "other-lane", 9, T0 + 5);
        again.partitionKey = row.partitionKey;
        again.executionId = row.executionId;

        StepVerifier.create(store.inTransaction(tx -> tx.insertExecution(again))).expectNext(false).verifyComplete();
        assertThat(store.read(reads -> reads.findExecution(row.id())).block(TIMEOUT).laneId).isEqualTo("l");
    }

    @Test
    void updateUnderLockWritesEveryMutableColumnAndNoFixedOne() {
        ExecutionRow row = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        store.inTransaction(tx -> tx.insertExecution(row)).block(TIMEOUT);
        ExecutionRow original = store.read(reads -> reads.findExecution(row.id())).block(TIMEOUT);

        ExecutionRow written = store.inTransaction(tx -> tx.lockExecution(row.id()).flatMap(locked -> {
            TestRows.activeWithEverySet(locked);
            locked.namespace = row.namespace + "-moved";
            locked.priority = 5;
            return tx.updateExecution(locked).thenReturn(locked);
        })).block(TIMEOUT);

        ExecutionRow stored = store.read(reads -> reads.findExecution(row.id())).block(TIMEOUT);
        assertThat(stored).usingRecursiveComparison().ignoringFields(FIXED_FIELDS).ignoringFields("rowVersion")
                .isEqualTo(written);
        assertThat(stored.rowVersion).as("every update increments the row version").isEqualTo(original.rowVersion + 1);
        assertThat(stored).usingRecursiveComparison().comparingOnlyFields(FIXED_FIELDS).isEqualTo(original);
        assertThat(stored.priority).isEqualTo(5);
        // And back to nulls: update must write nullable columns too, not only set ones.
        ExecutionRow cleared = TestRows.runnable(written.namespace, "l", 1, T0);
        cleared.partitionKey = row.partitionKey;
        cleared.executionId = row.executionId;
        store.inTransaction(tx -> tx.updateExecution(cleared)).block(TIMEOUT);
        assertThat(store.read(reads -> reads.findExecution(row.id())).block(TIMEOUT))
                .usingRecursiveComparison().ignoringFields(FIXED_FIELDS).ignoringFields("rowVersion").isEqualTo(cleared);
    }

    @Test
    void writesOfOneTransactionAreVisibleToItsNextStatement() {
        ExecutionRow row = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        store.inTransaction(tx -> tx.insertExecution(row)).block(TIMEOUT);

        ExecutionRow seen = store.inTransaction(tx -> tx.lockExecution(row.id()).flatMap(locked -> {
            locked.progressMessage = "first";
            locked.progressPct = 1;
            Mono<Void> first = tx.updateExecution(locked);
            return first.then(Mono.defer(() -> {
                locked.progressMessage = "second";
                return tx.updateExecution(locked);
            })).then(tx.findExecution(row.id()));
        })).block(TIMEOUT);

        assertThat(seen.progressMessage).isEqualTo("second");
        assertThat(seen.progressPct).isEqualTo(1);
    }

    /** The ExecutionRow fields of the columns updateExecution never writes. */
    private static final String[] FIXED_FIELDS = {"namespace", "laneId", "executionKind", "createdAtMs",
            "deadlineAtMs", "payload", "policyJson", "tagsJson", "requiredCapabilities", "idempotencyKey"};

    @Test
    void updateOfAMissingRowFails() {
        ExecutionRow ghost = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        StepVerifier.create(store.inTransaction(tx -> tx.updateExecution(ghost)))
                .expectError(IllegalStateException.class).verify(TIMEOUT);
    }

    @Test
    void attemptsInsertFindAndUpdate() {
        ExecutionRow execution = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        AttemptRow first = TestRows.attempt(execution, 0);
        AttemptRow second = TestRows.attempt(execution, 1);
        store.inTransaction(tx -> tx.insertExecution(execution)
                .then(tx.insertAttempt(second)).then(tx.insertAttempt(first))).block(TIMEOUT);

        StepVerifier.create(store.read(reads -> reads.findAttempts(execution.id()).collectList()))
                .assertNext(all -> assertThat(all).usingRecursiveFieldByFieldElementComparator()
                        .containsExactly(first, second))
                .verifyComplete();

        first.attemptLifecycle = AttemptLifecycle.ENDED_FAILURE;
        first.endedAtMs = T0 + 100;
        first.errorType = "timeout";
        first.errorMessage = "took too long";
        StepVerifier.create(store.inTransaction(tx -> tx.updateAttempt(first)
                        .then(tx.findAttempt(execution.id(), 0))))
                .assertNext(found -> assertThat(found).usingRecursiveComparison().isEqualTo(first))
                .verifyComplete();
        StepVerifier.create(store.inTransaction(tx -> tx.findAttempt(execution.id(), 7))).verifyComplete();
    }

    /** The first read is sent right behind BEGIN without waiting for it; it must still run inside. */
    @Test
    void theFirstReadOfATransactionRunsInsideIt() {
        for (int i = 0; i < 50; i++) {
            List<String> ids = store.transactional(session -> session.query("SELECT pg_current_xact_id()::text",
                            s -> { }, r -> r.get(0, String.class)).next()
                    .flatMap(first -> session.query("SELECT pg_current_xact_id()::text", s -> { },
                            r -> r.get(0, String.class)).next().map(second -> List.of(first, second))))
                    .block(TIMEOUT);
            assertThat(ids.get(0)).as("one transaction, one xid").isEqualTo(ids.get(1));
        }
    }

    @Test
    void anAttemptInsertedAndEndedInOneTransactionIsStoredEnded() {
        ExecutionRow execution = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        AttemptRow attempt = TestRows.attempt(execution, 0);
        AttemptEnd end = new AttemptEnd(execution.id(), 0, AttemptLifecycle.ENDED_FAILURE, T0 + 5, "E", "boom");
        store.inTransaction(tx -> tx.insertExecution(execution).then(tx.insertAttempt(attempt))
                .then(tx.endAttempt(end))).block(TIMEOUT);

        AttemptRow stored = store.read(reads -> reads.findAttempts(execution.id()).single()).block(TIMEOUT);
        assertThat(stored.attemptLifecycle).isEqualTo(AttemptLifecycle.ENDED_FAILURE);
        assertThat(stored.endedAtMs).isEqualTo(T0 + 5);
        assertThat(stored.errorType).isEqualTo("E");
        assertThat(stored.errorMessage).isEqualTo("boom");
        assertThat(stored.attemptId).isEqualTo(attempt.attemptId);
    }

    @Test
    void eventsAppendedInOneTransactionKeepTheirOrder() {
        String ns = TestRows.uniqueNamespace();
        List<OutboxRow> appended = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            appended.add(TestRows.outbox(io.flowfabric.internal.Feed.LEASE, ns, "acquired", "t" + i, T0 + i));
        }
        store.inTransaction(tx -> reactor.core.publisher.Flux.fromIterable(appended).concatMap(tx::appendEvent)
                .then()).block(TIMEOUT);

        List<OutboxRow> read = store.feeds().readAfter(io.flowfabric.internal.Feed.LEASE,
                io.flowfabric.internal.FeedPosition.ZERO, 1000).filter(row -> ns.equals(row.namespace))
                .collectList().block(TIMEOUT);
        assertThat(read).extracting(row -> row.executionId)
                .containsExactlyElementsOf(appended.stream().map(row -> row.executionId).toList());
        assertThat(read).extracting(row -> row.eventId).isSorted();
    }

    @Test
    void failedWorkRollsBackAndKeepsItsError() {
        ExecutionRow row = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        IllegalArgumentException boom = new IllegalArgumentException("boom");

        StepVerifier.create(store.inTransaction(tx -> tx.insertExecution(row).then(Mono.error(boom))))
                .expectErrorMatches(error -> error == boom)
                .verify(TIMEOUT);
        StepVerifier.create(store.read(reads -> reads.findExecution(row.id()))).verifyComplete();
    }

    @Test
    void cancelledWorkRollsBackAndReleasesItsLocks() throws InterruptedException {
        ExecutionRow row = TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
        CountDownLatch inserted = new CountDownLatch(1);
        Disposable pending = store.inTransaction(tx -> tx.insertExecution(row)
                .doOnSuccess(ok -> inserted.countDown()).then(Mono.never())).subscribe();
        assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();

        pending.dispose();

        // Had the transaction stayed open, this insert would wait on the uncommitted row's key.
        StepVerifier.create(store.inTransaction(tx -> tx.insertExecution(row))).expectNext(true).verifyComplete();
    }

    @Test
    void reserveIdempotencyKeyTakesNewKeysKeepsLiveOnesAndReplacesExpiredOnes() {
        String namespace = TestRows.uniqueNamespace();
        ExecutionId first = new ExecutionId(1, UUID.randomUUID());
        ExecutionId second = new ExecutionId(2, UUID.randomUUID());
        ExecutionId third = new ExecutionId(3, UUID.randomUUID());

        StepVerifier.create(reserve(namespace, "k", first, T0 + 1_000, T0)).expectNext(first).verifyComplete();
        StepVerifier.create(reserve(namespace, "k", second, T0 + 5_000, T0 + 999)).expectNext(first)
                .verifyComplete();
        // Expiry is inclusive: at expires_at_ms the reservation is no longer live.
        StepVerifier.create(reserve(namespace, "k", third, T0 + 9_000, T0 + 1_000)).expectNext(third)
                .verifyComplete();
        StepVerifier.create(reserve(namespace, "k", second, T0 + 9_500, T0 + 2_000)).expectNext(third)
                .verifyComplete();
        // Keys are scoped by namespace.
        StepVerifier.create(reserve(namespace + "-other", "k", second, T0 + 1_000, T0)).expectNext(second)
                .verifyComplete();
    }

    @Test
    void deleteExecutionRemovesItsAttemptsAndTheKeysThatPointToIt() {
        String ns = TestRows.uniqueNamespace();
        ExecutionRow doomed = TestRows.terminal(TestRows.runnable(ns, "l", 1, T0), T0 + 1);
        ExecutionRow kept = TestRows.runnable(ns, "l", 1, T0);
        store.inTransaction(tx -> tx.insertExecution(doomed).then(tx.insertExecution(kept))
                .then(tx.insertAttempt(TestRows.attempt(doomed, 0))).then(tx.insertAttempt(TestRows.attempt(doomed, 1)))
                .then(tx.insertAttempt(TestRows.attempt(kept, 0)))
                .then(tx.reserveIdempotencyKey(ns, "doomed", doomed.id(), T0 + 10, T0))
                .then(tx.reserveIdempotencyKey(ns, "kept", kept.id(), T0 + 10, T0))).block(TIMEOUT);

        store.inTransaction(tx -> tx.deleteExecution(doomed.id())).block(TIMEOUT);

        StepVerifier.create(store.read(reads -> reads.findExecution(doomed.id()))).verifyComplete();
        assertThat(store.read(reads -> reads.findAttempts(doomed.id()).collectList()).block(TIMEOUT)).isEmpty();
        assertThat(store.read(reads -> reads.findAttempts(kept.id()).collectList()).block(TIMEOUT)).hasSize(1);
        assertThat(store.read(reads -> reads.findExecution(kept.id())).block(TIMEOUT)).isNotNull();
        // The freed key can be taken at once; the other execution's key is still live.
        ExecutionId next = new ExecutionId(5, UUID.randomUUID());
        StepVerifier.create(reserve(ns, "doomed", next, T0 + 10, T0)).expectNext(next).verifyComplete();
        StepVerifier.create(reserve(ns, "kept", next, T0 + 10, T0)).expectNext(kept.id()).verifyComplete();
        // Deleting what is not there changes nothing and does not fail.
        StepVerifier.create(store.inTransaction(tx -> tx.deleteExecution(doomed.id()))).verifyComplete();
    }

    @Test
    void deleteExpiredIdempotencyKeysDeletesUpToTheLimitOldestFirst() {
        // Far in the past, so keys of the other tests (expiring after T0) are never due here.
        long base = T0 - 1_000_000_000L;
        String ns = TestRows.uniqueNamespace();
        ExecutionId owner = new ExecutionId(1, UUID.randomUUID());
        for (int i = 0; i < 5; i++) {
            reserve(ns, "k" + i, owner, base + i, base - 10).block(TIMEOUT);
        }
        reserve(ns, "live", owner, base + 100, base - 10).block(TIMEOUT);

        StepVerifier.create(deleteExpired(base - 1, 10)).expectNext(0L).verifyComplete();
        StepVerifier.create(deleteExpired(base + 1, 1)).expectNext(1L).verifyComplete();
        // k0 is gone (oldest first): another execution takes it; k1 expired but still exists until deleted.
        ExecutionId other = new ExecutionId(2, UUID.randomUUID());
        StepVerifier.create(reserve(ns, "k0", other, base + 50, base - 10)).expectNext(other).verifyComplete();
        // Expiry is inclusive: at base + 4 the keys k1..k4 are due, k0 (now base + 50) and live are not.
        StepVerifier.create(deleteExpired(base + 4, 100)).expectNext(4L).verifyComplete();
        StepVerifier.create(deleteExpired(base + 4, 100)).expectNext(0L).verifyComplete();
        StepVerifier.create(reserve(ns, "live", other, base + 200, base - 10)).expectNext(owner).verifyComplete();
    }

    @Test
    void deleteExpiredIdempotencyKeysSkipsKeysAnotherTransactionHolds() {
        long base = T0 - 2_000_000_000L;
        String ns = TestRows.uniqueNamespace();
        ExecutionId owner = new ExecutionId(1, UUID.randomUUID());
        for (int i = 0; i < 3; i++) {
            reserve(ns, "k" + i, owner, base + i, base - 10).block(TIMEOUT);
        }

        // The second delete runs while the first transaction still holds its key; it neither waits nor
        // deletes that key.
        Long second = store.inTransaction(first -> first.deleteExpiredIdempotencyKeys(base + 10, 1)
                .then(store.inTransaction(tx -> tx.deleteExpiredIdempotencyKeys(base + 10, 10)))).block(TIMEOUT);

        assertThat(second).isEqualTo(2L);
        StepVerifier.create(deleteExpired(base + 10, 10)).expectNext(0L).verifyComplete();
    }

    private Mono<Long> deleteExpired(long now, int limit) {
        return store.inTransaction(tx -> tx.deleteExpiredIdempotencyKeys(now, limit));
    }

    private Mono<ExecutionId> reserve(String namespace, String key, ExecutionId candidate, long expiresAt, long now) {
        return store.inTransaction(tx -> tx.reserveIdempotencyKey(namespace, key, candidate, expiresAt, now));
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailAsUnavailable() {
        PgStore own = PostgresEngine.openStore(options.withRunMigrations(false)).block(TIMEOUT);
        own.close().block(TIMEOUT);
        own.close().block(TIMEOUT);

        StepVerifier.create(own.read(reads -> reads.findExecution(new ExecutionId(0, UUID.randomUUID()))))
                .expectError(io.flowfabric.api.error.UnavailableException.class)
                .verify(TIMEOUT);
    }
}
