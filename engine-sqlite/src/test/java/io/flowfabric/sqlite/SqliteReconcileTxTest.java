package io.flowfabric.sqlite;

import static io.flowfabric.sqlite.TestRows.LANE;
import static io.flowfabric.sqlite.TestRows.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ExecutionRow;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@code lockReclaimable}, {@code deleteExecution} and {@code deleteExpiredIdempotencyKeys}. */
class SqliteReconcileTxTest extends StoreFixture {

    private static ExecutionRow reclaimable(int partition, long createdAtMs) {
        return TestRows.active(partition, createdAtMs, OwnershipState.LEASE_EXPIRED_RECLAIMABLE, 50);
    }

    private List<UUID> reclaimIds(List<String> capabilities, int limit) {
        ClaimQuery query = new ClaimQuery(NAMESPACE, LANE, capabilities, 0, limit);
        return tx(t -> t.lockReclaimable(query).map(r -> r.executionId).collectList());
    }

    @Test
    void reclaimsLapsedAndRevokedLeasesInClaimOrder() {
        ExecutionRow oldLow = reclaimable(1, 100);
        ExecutionRow newHigh = TestRows.active(2, 300, OwnershipState.LEASE_REVOKED, 10_000);
        newHigh.priority = 10;
        ExecutionRow oldHigh = reclaimable(3, 200);
        oldHigh.priority = 10;
        ExecutionRow newLow = TestRows.active(4, 400, OwnershipState.LEASE_REVOKED, 10_000);
        insert(newLow, oldLow, newHigh, oldHigh);

        assertThat(reclaimIds(List.of(), 10))
                .containsExactly(oldHigh.executionId, newHigh.executionId, oldLow.executionId, newLow.executionId);
        assertThat(reclaimIds(List.of(), 2)).containsExactly(oldHigh.executionId, newHigh.executionId);
        assertThat(this.<ExecutionRow>tx(t -> t.lockReclaimable(new ClaimQuery(NAMESPACE, LANE, List.of(), 0, 1))
                .single())).usingRecursiveComparison().isEqualTo(oldHigh);
    }

    @Test
    void reclaimsOnlyReclaimableRowsOfTheLaneNamespaceAndCapabilities() {
        ExecutionRow plain = reclaimable(1, 1);
        ExecutionRow gpu = reclaimable(1, 2);
        gpu.requiredCapabilities = List.of("gpu");
        ExecutionRow gpuLinux = TestRows.active(1, 3, OwnershipState.LEASE_REVOKED, 10_000);
        gpuLinux.requiredCapabilities = List.of("gpu", "linux");
        ExecutionRow leasedButLapsed = TestRows.active(1, 4, OwnershipState.LEASED, 0);
        ExecutionRow claimable = TestRows.runnable(1, 5);
        ExecutionRow ended = TestRows.terminal(1, 6);
        ExecutionRow otherLane = reclaimable(1, 7);
        otherLane.laneId = "other";
        ExecutionRow otherNamespace = reclaimable(1, 8);
        otherNamespace.namespace = "other";
        insert(plain, gpu, gpuLinux, leasedButLapsed, claimable, ended, otherLane, otherNamespace);

        assertThat(reclaimIds(List.of(), 100)).containsExactly(plain.executionId);
        assertThat(reclaimIds(List.of("gpu"), 100)).containsExactly(plain.executionId, gpu.executionId);
        assertThat(reclaimIds(List.of("linux", "gpu", "x86"), 100))
                .containsExactly(plain.executionId, gpu.executionId, gpuLinux.executionId);
    }

    @Test
    void deletesAnExecutionWithItsAttemptsAndKeysOnly() {
        ExecutionRow doomed = TestRows.full(3);
        ExecutionRow kept = TestRows.full(3);
        insert(doomed, kept);
        tx(t -> Flux.just(TestRows.attempt(doomed, 0), TestRows.attempt(doomed, 1), TestRows.attempt(kept, 0))
                .concatMap(t::insertAttempt).then());
        tx(t -> t.reserveIdempotencyKey(NAMESPACE, "a", doomed.id(), 1_000, 0)
                .then(t.reserveIdempotencyKey("other", "a", doomed.id(), 1_000, 0))
                .then(t.reserveIdempotencyKey(NAMESPACE, "b", kept.id(), 1_000, 0)));

        tx(t -> t.deleteExecution(doomed.id()));

        assertThat(this.<ExecutionRow>read(r -> r.findExecution(doomed.id()))).isNull();
        assertThat(this.<List<Integer>>read(r -> r.findAttempts(doomed.id()).map(a -> a.attemptIndex).collectList()))
                .isEmpty();
        assertThat(this.<ExecutionRow>read(r -> r.findExecution(kept.id()))).usingRecursiveComparison().isEqualTo(kept);
        assertThat(this.<List<Integer>>read(r -> r.findAttempts(kept.id()).map(a -> a.attemptIndex).collectList()))
                .containsExactly(0);
        assertThat(column("SELECT namespace || '/' || idempotency_key FROM ff_idempotency_key ORDER BY 1"))
                .containsExactly("ns/b");
        // The freed key can be taken again at once, though its reservation had not expired.
        ExecutionId next = new ExecutionId(1, UUID.randomUUID());
        assertThat(this.<ExecutionId>tx(t -> t.reserveIdempotencyKey(NAMESPACE, "a", next, 2_000, 0))).isEqualTo(next);
    }

    @Test
    void deletingAMissingExecutionChangesNothing() {
        ExecutionRow kept = TestRows.runnable(1, 1);
        insert(kept);

        StepVerifier.create(store.inTransaction(t -> t.deleteExecution(new ExecutionId(1, UUID.randomUUID()))))
                .verifyComplete();

        assertThat(count("SELECT count(*) FROM ff_exec_core")).isEqualTo(1);
    }

    @Test
    void aDeleteRollsBackWithItsTransaction() {
        ExecutionRow row = TestRows.runnable(1, 1);
        insert(row);
        tx(t -> t.insertAttempt(TestRows.attempt(row, 0)));

        StepVerifier.create(store.inTransaction(t -> t.deleteExecution(row.id())
                        .then(Mono.error(new IllegalStateException("undo")))))
                .expectErrorMessage("undo")
                .verify(TIMEOUT);

        assertThat(this.<ExecutionRow>read(r -> r.findExecution(row.id()))).isNotNull();
        assertThat(count("SELECT count(*) FROM ff_attempt")).isEqualTo(1);
    }

    @Test
    void deletesExpiredIdempotencyKeysInBatchesOldestFirst() {
        long[] expiries = {400, 100, 300, 200, 300};
        tx(t -> Flux.range(0, expiries.length)
                .concatMap(i -> t.reserveIdempotencyKey(NAMESPACE, "k" + i, new ExecutionId(0, UUID.randomUUID()),
                        expiries[i], 0))
                .then());

        assertThat(this.<Long>tx(t -> t.deleteExpiredIdempotencyKeys(99, 10))).isZero();
        assertThat(this.<Long>tx(t -> t.deleteExpiredIdempotencyKeys(300, 2))).isEqualTo(2);
        assertThat(keys()).containsExactly("k0", "k2", "k4");
        assertThat(this.<Long>tx(t -> t.deleteExpiredIdempotencyKeys(300, 2))).isEqualTo(2);
        assertThat(this.<Long>tx(t -> t.deleteExpiredIdempotencyKeys(300, 2))).isZero();
        assertThat(keys()).containsExactly("k0");
        assertThat(this.<Long>tx(t -> t.deleteExpiredIdempotencyKeys(Long.MAX_VALUE, 100))).isEqualTo(1);
        assertThat(keys()).isEmpty();
    }

    private List<String> keys() {
        return column("SELECT idempotency_key FROM ff_idempotency_key ORDER BY idempotency_key");
    }
}
