package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.error.ConflictException;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.SignalRow;
import io.flowfabric.internal.SigningKeyRow;
import io.flowfabric.internal.StoreTx;
import io.flowfabric.internal.SuspensionRow;
import io.flowfabric.internal.WaitpointRow;
import io.r2dbc.spi.R2dbcException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The waitpoint, suspension, signal and signing key statements of the Store SPI against a real PostgreSQL:
 * round trips with every column and with nulls, order, the partial unique indexes and key rotation. The
 * due scans over these tables are in {@link PgSignalDueTest}.
 */
class PgSignalStoreTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** PostgreSQL's unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";
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
    void waitpointsRoundTripEveryColumnAndNullsInCreationOrder() {
        ExecutionRow execution = execution();
        WaitpointRow bare = TestSignalRows.waitpoint(execution, "b", T0 + 20);
        WaitpointRow full = TestSignalRows.closed(TestSignalRows.expiring(execution, "a", T0 + 90_000), T0 + 5);
        full.createdAtMs = T0 + 10;
        full.activatedAtMs = T0 + 3;
        full.suspensionId = UUID.randomUUID();
        // Same creation time as `bare`: the waitpoint id breaks the tie, in PostgreSQL's uuid order.
        WaitpointRow tied = TestSignalRows.waitpoint(execution, "c", T0 + 20);
        WaitpointRow otherExecution = TestSignalRows.waitpoint(execution(), "a", T0);
        inTx(tx -> Flux.just(bare, full, tied, otherExecution).concatMap(tx::insertWaitpoint).then());

        List<WaitpointRow> tiedInIdOrder = List.of(bare, tied).stream()
                .sorted(Comparator.comparing(w -> w.waitpointId.toString())).toList();
        List<WaitpointRow> expected = List.of(full, tiedInIdOrder.get(0), tiedInIdOrder.get(1));
        assertThat(store.read(r -> r.findWaitpoints(execution.id()).collectList()).block(TIMEOUT))
                .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
        assertThat(PgSignalStoreTest.<List<WaitpointRow>>inTx(tx -> tx.findWaitpoints(execution.id()).collectList()))
                .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
        assertThat(bare.expiresAtMs).isNull();
        assertThat(store.read(r -> r.findWaitpoints(new ExecutionId(1, UUID.randomUUID())).collectList())
                .block(TIMEOUT)).isEmpty();
    }

    @Test
    void updateWaitpointWritesEveryColumnIncludingNulls() {
        ExecutionRow execution = execution();
        WaitpointRow w = TestSignalRows.expiring(execution, "gate", T0 + 1_000);
        inTx(tx -> tx.insertWaitpoint(w));

        UUID suspensionId = UUID.randomUUID();
        WaitpointRow active = copy(w);
        active.state = "active";
        active.expiresAtMs = null;
        active.activatedAtMs = T0 + 5;
        active.suspensionId = suspensionId;
        active.tokenKid = "k2";
        active.tokenFingerprint = "fp-2";
        inTx(tx -> tx.updateWaitpoint(active));
        assertThat(waitpoints(execution)).usingRecursiveFieldByFieldElementComparator().containsExactly(active);

        WaitpointRow closed = TestSignalRows.closed(copy(active), T0 + 9);
        closed.suspensionId = null;
        closed.activatedAtMs = null;
        inTx(tx -> tx.updateWaitpoint(closed));
        assertThat(waitpoints(execution)).usingRecursiveFieldByFieldElementComparator().containsExactly(closed);
    }

    @Test
    void updatingAMissingWaitpointOrSuspensionIsABug() {
        ExecutionRow execution = execution();
        assertThatThrownBy(() -> inTx(tx -> tx.updateWaitpoint(TestSignalRows.waitpoint(execution, "x", T0))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("waitpoint");
        assertThatThrownBy(() -> inTx(tx -> tx.updateSuspension(TestSignalRows.suspension(execution, T0))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("suspension");
    }

    @Test
    void onlyOneOpenWaitpointPerKeyAndExecution() {
        ExecutionRow execution = execution();
        WaitpointRow first = TestSignalRows.waitpoint(execution, "gate", T0);
        inTx(tx -> tx.insertWaitpoint(first));

        assertUniqueViolation(() -> inTx(tx -> tx.insertWaitpoint(TestSignalRows.waitpoint(execution, "gate", T0))));
        WaitpointRow active = copy(first);
        active.state = "active";
        inTx(tx -> tx.updateWaitpoint(active));
        assertUniqueViolation(() -> inTx(tx -> tx.insertWaitpoint(TestSignalRows.waitpoint(execution, "gate", T0))));
        // Another key, or the same key of another execution, is independent.
        inTx(tx -> tx.insertWaitpoint(TestSignalRows.waitpoint(execution, "other", T0 + 1))
                .then(tx.insertWaitpoint(TestSignalRows.waitpoint(execution(), "gate", T0 + 1))));

        inTx(tx -> tx.updateWaitpoint(TestSignalRows.closed(copy(active), T0 + 2)));
        WaitpointRow second = TestSignalRows.waitpoint(execution, "gate", T0 + 3);
        inTx(tx -> tx.insertWaitpoint(second));
        // Closed waitpoints do not count, however many there are.
        inTx(tx -> tx.updateWaitpoint(TestSignalRows.closed(copy(second), T0 + 4))
                .then(tx.insertWaitpoint(TestSignalRows.waitpoint(execution, "gate", T0 + 5))));
        assertThat(waitpoints(execution)).extracting(w -> w.waitpointKey + ":" + w.state)
                .containsExactly("gate:closed", "other:pending", "gate:closed", "gate:pending");
    }

    @Test
    void suspensionsRoundTripAndAreFoundOpenOrByKey() {
        ExecutionRow execution = execution();
        SuspensionRow bare = TestSignalRows.suspension(execution, T0);
        SuspensionRow full = TestSignalRows.timingOut(execution, T0 + 60_000);
        full.attemptIndex = 3;
        full.timeoutBehavior = "resume";
        full.resumeDelayMs = 2_500;
        full.idempotencyKey = "suspend-1";
        full.outcomeJson = "{\"waitpoints\": [\"" + UUID.randomUUID() + "\"]}";
        inTx(tx -> tx.insertSuspension(bare));

        assertThat(store.read(r -> r.findOpenSuspension(execution.id())).block(TIMEOUT))
                .usingRecursiveComparison().isEqualTo(bare);
        assertThat(store.read(r -> r.findSuspensionByKey(execution.id(), "suspend-1")).block(TIMEOUT)).isNull();

        bare.closedAtMs = T0 + 1;
        bare.closeReason = "satisfied";
        inTx(tx -> tx.updateSuspension(bare).then(tx.insertSuspension(full)));
        assertThat(PgSignalStoreTest.<SuspensionRow>inTx(tx -> tx.findOpenSuspension(execution.id())))
                .usingRecursiveComparison().isEqualTo(full);
        assertThat(PgSignalStoreTest.<SuspensionRow>inTx(tx -> tx.findSuspensionByKey(execution.id(), "suspend-1")))
                .usingRecursiveComparison().isEqualTo(full);

        full.closedAtMs = T0 + 70_000;
        full.closeReason = "timed_out";
        full.timeoutAtMs = null;
        inTx(tx -> tx.updateSuspension(full));
        assertThat(store.read(r -> r.findOpenSuspension(execution.id())).block(TIMEOUT)).isNull();
        assertThat(store.read(r -> r.findSuspensionByKey(execution.id(), "suspend-1")).block(TIMEOUT))
                .usingRecursiveComparison().isEqualTo(full);
        assertThat(store.read(r -> r.findSuspensionByKey(execution().id(), "suspend-1")).block(TIMEOUT)).isNull();

        SuspensionRow sameKey = TestSignalRows.suspension(execution, T0 + 80_000);
        sameKey.idempotencyKey = "suspend-1";
        assertUniqueViolation(() -> inTx(tx -> tx.insertSuspension(sameKey)));
    }

    @Test
    void jsonColumnsComeBackInJsonbNormalForm() {
        ExecutionRow execution = execution();
        SuspensionRow s = TestSignalRows.suspension(execution, T0);
        s.conditionJson = "{\"type\":\"signal\",\"waitpointKey\":\"gate\"}";
        s.outcomeJson = "{\"waitpoints\":[]}";
        inTx(tx -> tx.insertSuspension(s));

        SuspensionRow found = store.read(r -> r.findOpenSuspension(execution.id())).block(TIMEOUT);
        assertThat(found.conditionJson).isEqualTo(TestSignalRows.CONDITION_JSON);
        assertThat(found.outcomeJson).isEqualTo(TestSignalRows.OUTCOME_JSON);
    }

    @Test
    void signalsRoundTripInDeliveryOrderAndAreFoundByKeyAndCounted() {
        ExecutionRow execution = execution();
        WaitpointRow w = TestSignalRows.waitpoint(execution, "gate", T0);
        SignalRow late = TestSignalRows.signal(w, "approved", T0 + 30);
        late.idempotencyKey = "deliver-1";
        late.effect = "satisfied";
        late.payload = new byte[] {0, 1, 2, (byte) 0xff};
        SignalRow early = TestSignalRows.signal(w, "rejected", T0 + 10);
        early.payload = new byte[0];
        SignalRow tiedA = TestSignalRows.signal(w, "a", T0 + 20);
        SignalRow tiedB = TestSignalRows.signal(w, "b", T0 + 20);
        SignalRow otherExecution = TestSignalRows.signal(TestSignalRows.waitpoint(execution(), "gate", T0), "x", T0);
        ExecutionId id = execution.id();
        assertThat(store.read(r -> r.countSignals(id)).block(TIMEOUT)).isZero();
        inTx(tx -> tx.insertWaitpoint(w)
                .thenMany(Flux.just(late, early, tiedA, tiedB, otherExecution).concatMap(tx::insertSignal)).then());

        // Lower-case hex order is PostgreSQL's (byte-wise) uuid order; UUID.compareTo is not.
        List<SignalRow> tied = List.of(tiedA, tiedB).stream()
                .sorted(Comparator.comparing(s -> s.signalId.toString())).toList();
        List<SignalRow> expected = List.of(early, tied.get(0), tied.get(1), late);
        assertThat(store.read(r -> r.findSignals(id).collectList()).block(TIMEOUT))
                .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
        assertThat(PgSignalStoreTest.<List<SignalRow>>inTx(tx -> tx.findSignals(id).collectList()))
                .usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
        assertThat(store.read(r -> r.findSignalByKey(id, "deliver-1")).block(TIMEOUT))
                .usingRecursiveComparison().isEqualTo(late);
        assertThat(PgSignalStoreTest.<SignalRow>inTx(tx -> tx.findSignalByKey(id, "deliver-1")))
                .usingRecursiveComparison().isEqualTo(late);
        assertThat(store.read(r -> r.findSignalByKey(id, "deliver-2")).block(TIMEOUT)).isNull();
        assertThat(store.read(r -> r.countSignals(id)).block(TIMEOUT)).isEqualTo(4L);
        assertThat(PgSignalStoreTest.<Long>inTx(tx -> tx.countSignals(id))).isEqualTo(4L);

        SignalRow again = TestSignalRows.signal(w, "approved", T0 + 40);
        again.idempotencyKey = "deliver-1";
        assertUniqueViolation(() -> inTx(tx -> tx.insertSignal(again)));
    }

    @Test
    void deleteExecutionAlsoDeletesItsWaitpointsSuspensionsAndSignals() {
        ExecutionRow doomed = execution();
        ExecutionRow kept = execution();
        inTx(tx -> Flux.just(doomed, kept).concatMap(e -> {
            WaitpointRow w = TestSignalRows.waitpoint(e, "gate", T0);
            return tx.insertExecution(e).then(tx.insertWaitpoint(w)).then(tx.insertSignal(
                    TestSignalRows.signal(w, "s", T0))).then(tx.insertSuspension(TestSignalRows.suspension(e, T0)));
        }).then());

        inTx(tx -> tx.deleteExecution(doomed.id()));

        assertThat(waitpoints(doomed)).isEmpty();
        assertThat(store.read(r -> r.countSignals(doomed.id())).block(TIMEOUT)).isZero();
        assertThat(store.read(r -> r.findOpenSuspension(doomed.id())).block(TIMEOUT)).isNull();
        assertThat(waitpoints(kept)).hasSize(1);
        assertThat(store.read(r -> r.countSignals(kept.id())).block(TIMEOUT)).isEqualTo(1L);
        assertThat(store.read(r -> r.findOpenSuspension(kept.id())).block(TIMEOUT)).isNotNull();
    }

    @Test
    void signingKeysRoundTripAndACurrentKeySupersedesTheOthers() {
        PostgresTestDatabase.execute(options, "TRUNCATE ff_waitpoint_hmac");
        assertThat(store.read(r -> r.findCurrentSigningKey()).block(TIMEOUT)).isNull();
        SigningKeyRow k1 = TestSignalRows.signingKey("k1", new byte[] {1, 2, 3, (byte) 0xff}, T0, true);
        inTx(tx -> tx.upsertSigningKey(k1, T0 + 999));
        assertThat(store.read(r -> r.findCurrentSigningKey()).block(TIMEOUT)).usingRecursiveComparison().isEqualTo(k1);

        // A key that is not current is only written; the current one stays.
        SigningKeyRow spare = TestSignalRows.signingKey("spare", new byte[] {9}, T0 + 1, false);
        spare.validUntilMs = T0 + 50;
        inTx(tx -> tx.upsertSigningKey(spare, T0 + 999));
        assertThat(PgSignalStoreTest.<SigningKeyRow>inTx(tx -> tx.findCurrentSigningKey()))
                .usingRecursiveComparison().isEqualTo(k1);
        assertThat(key("spare")).usingRecursiveComparison().isEqualTo(spare);

        SigningKeyRow k2 = TestSignalRows.signingKey("k2", new byte[] {4, 5}, T0 + 10, true);
        inTx(tx -> tx.upsertSigningKey(k2, T0 + 1_000));
        assertThat(PgSignalStoreTest.<SigningKeyRow>inTx(tx -> tx.findCurrentSigningKey()))
                .usingRecursiveComparison().isEqualTo(k2);
        assertKey("k1", false, T0 + 1_000);
        assertKey("spare", false, T0 + 50);

        SigningKeyRow k3 = TestSignalRows.signingKey("k3", new byte[] {6}, T0 + 20, true);
        inTx(tx -> tx.upsertSigningKey(k3, T0 + 2_000));
        assertKey("k1", false, T0 + 1_000);
        assertKey("k2", false, T0 + 2_000);
        assertKey("k3", true, null);

        // Rotating back to a known kid: current again, no end of validity, secret replaced, created_at kept.
        SigningKeyRow back = TestSignalRows.signingKey("k1", new byte[] {7, 7}, T0 + 30, true);
        back.validUntilMs = T0 + 5;
        inTx(tx -> tx.upsertSigningKey(back, T0 + 3_000));
        SigningKeyRow k1Again = key("k1");
        assertThat(k1Again.current).isTrue();
        assertThat(k1Again.validUntilMs).isNull();
        assertThat(k1Again.secret).containsExactly(7, 7);
        assertThat(k1Again.createdAtMs).isEqualTo(T0);
        assertKey("k2", false, T0 + 2_000);
        assertKey("k3", false, T0 + 3_000);
        assertThat(store.read(r -> r.findSigningKey("missing")).block(TIMEOUT)).isNull();
    }

    @Test
    void aSupersededKeyKeepsAnEndOfValidityItAlreadyHad() {
        PostgresTestDatabase.execute(options, "TRUNCATE ff_waitpoint_hmac");
        PostgresTestDatabase.execute(options, "INSERT INTO ff_waitpoint_hmac VALUES ('old', '\\x01', 1, true, 42)");

        inTx(tx -> tx.upsertSigningKey(TestSignalRows.signingKey("new", new byte[] {2}, T0, true), T0 + 1_000));

        assertKey("old", false, 42L);
        assertKey("new", true, null);
    }

    @Test
    void concurrentRotationsLeaveExactlyOneCurrentKey() throws Exception {
        PostgresTestDatabase.execute(options, "TRUNCATE ff_waitpoint_hmac");
        inTx(tx -> tx.upsertSigningKey(TestSignalRows.signingKey("k0", new byte[] {0}, T0, true), T0));
        CountDownLatch firstWrote = new CountDownLatch(1);
        CompletableFuture<Void> releaseFirst = new CompletableFuture<>();
        CompletableFuture<Void> first = store.inTransaction(tx -> tx.upsertSigningKey(
                        TestSignalRows.signingKey("a", new byte[] {1}, T0 + 1, true), T0 + 100)
                .then(Mono.fromRunnable(firstWrote::countDown))
                .then(Mono.fromFuture(releaseFirst)))
                .toFuture();
        assertThat(firstWrote.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> second = store.inTransaction(tx -> tx.upsertSigningKey(
                TestSignalRows.signingKey("b", new byte[] {2}, T0 + 2, true), T0 + 200)).toFuture();
        Thread.sleep(300);
        assertThat(second).as("the second rotation waits for the first").isNotDone();
        releaseFirst.complete(null);
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);

        assertKey("k0", false, T0 + 100);
        assertKey("a", false, T0 + 200);
        assertKey("b", true, null);
    }

    private static ExecutionRow execution() {
        return TestRows.runnable(TestRows.uniqueNamespace(), "l", 1, T0);
    }

    private static <T> T inTx(Function<StoreTx, Mono<T>> work) {
        return store.inTransaction(work).block(TIMEOUT);
    }

    private static List<WaitpointRow> waitpoints(ExecutionRow execution) {
        return store.read(r -> r.findWaitpoints(execution.id()).collectList()).block(TIMEOUT);
    }

    private static SigningKeyRow key(String kid) {
        return store.read(r -> r.findSigningKey(kid)).block(TIMEOUT);
    }

    private static void assertKey(String kid, boolean current, Long validUntilMs) {
        SigningKeyRow k = key(kid);
        assertThat(k).as(kid).isNotNull();
        assertThat(k.current).as(kid + " current").isEqualTo(current);
        assertThat(k.validUntilMs).as(kid + " valid until").isEqualTo(validUntilMs);
    }

    /** Both page statements read ff_waitpoint_open_list_idx in page order; a later page starts at its position. */
    @Test
    void openWaitpointPagesAreRangesOfTheListIndexInOrder() {
        String execution = "1, '" + UUID.randomUUID() + "'::uuid, 100";
        for (boolean generic : new boolean[] {false, true}) {
            String first = PgPlans.explain(options, PgSignals.LIST_OPEN_WAITPOINTS, "smallint, uuid, integer",
                    execution, generic);
            String after = PgPlans.explain(options, PgSignals.LIST_OPEN_WAITPOINTS_AFTER,
                    "smallint, uuid, integer, bigint, uuid", execution + ", " + T0 + ", '" + UUID.randomUUID() + "'",
                    generic);
            for (String plan : List.of(first, after)) {
                assertThat(plan).as("generic=%s", generic)
                        .contains("Index Scan using ff_waitpoint_open_list_idx on ff_waitpoint")
                        .doesNotContain("Sort").doesNotContain("Filter");
            }
            assertThat(after).as("generic=%s", generic)
                    .containsPattern("Index Cond: .*ROW\\(created_at_ms, waitpoint_id\\) > ROW\\(");
        }
    }

    private static void assertUniqueViolation(Runnable insert) {
        assertThatThrownBy(insert::run).satisfies(e -> {
            // A typed conflict the caller should not repeat unchanged, with the driver error as its cause.
            assertThat(e).isInstanceOf(ConflictException.class)
                    .matches(conflict -> !((ConflictException) conflict).isRetryable());
            Throwable cause = e;
            while (cause != null && !(cause instanceof R2dbcException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("driver error in %s", e).isNotNull();
            assertThat(((R2dbcException) cause).getSqlState()).isEqualTo(UNIQUE_VIOLATION);
        });
    }

    private static WaitpointRow copy(WaitpointRow w) {
        WaitpointRow c = new WaitpointRow();
        c.partitionKey = w.partitionKey;
        c.executionId = w.executionId;
        c.waitpointId = w.waitpointId;
        c.waitpointKey = w.waitpointKey;
        c.state = w.state;
        c.tokenKid = w.tokenKid;
        c.tokenFingerprint = w.tokenFingerprint;
        c.createdAtMs = w.createdAtMs;
        c.expiresAtMs = w.expiresAtMs;
        c.activatedAtMs = w.activatedAtMs;
        c.closedAtMs = w.closedAtMs;
        c.closeReason = w.closeReason;
        c.suspensionId = w.suspensionId;
        return c;
    }
}
