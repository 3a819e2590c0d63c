package io.flowfabric.internal;

import io.flowfabric.api.AttemptId;
import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.LeaseFence;
import io.flowfabric.api.LeaseId;
import io.flowfabric.api.Namespace;
import io.flowfabric.api.Payload;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.api.state.Transition;
import java.util.List;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Claims: locks claimable rows (skipping rows other claimers hold), issues a lease on each with the next
 * lease epoch, and creates the attempt the lease runs — or re-leases the interrupted attempt.
 */
final class ClaimOp {
    private ClaimOp() {
    }

    static Flux<ClaimedExecution> claim(Store store, ClaimRequest request, int max, long nowMs) {
        ClaimQuery query = new ClaimQuery(request.namespace().value(), request.lane().value(),
                List.copyOf(request.capabilities()), nowMs, max);
        if (store.claimsGranted()) {
            ClaimGrant grant = new ClaimGrant(nowMs, request.leaseTtl().toMillis(), request.workerId().value(),
                    request.workerInstanceId().value());
            return store.claimGranted(query, grant)
                    .map(ClaimOp::claimed);
        }
        // The locked rows are read completely before the first update: a connection cannot run the next
        // statement while the result of the previous one is still being streamed.
        return store.inTransaction(tx -> tx.lockClaimable(query)
                        .collectList()
                        .flatMapMany(Flux::fromIterable)
                        .concatMap(row -> leaseRow(tx, row, request, nowMs))
                        .collectList())
                .flatMapIterable(claimed -> claimed);
    }

    private static Mono<ClaimedExecution> leaseRow(StoreTx tx, ExecutionRow row, ClaimRequest request, long nowMs) {
        boolean resumed = row.attemptState == AttemptState.ATTEMPT_INTERRUPTED && row.currentAttemptIndex != null;
        Transition transition = resumed ? Transition.CLAIM_INTERRUPTED_ATTEMPT : Transition.CLAIM_NEW_ATTEMPT;
        AttemptType newType = ClaimGrant.attemptTypeFor(row.attemptState);
        row.setState(transition.apply(row.lifecyclePhase));
        issueLease(row, request, nowMs);
        Mono<AttemptType> attempt;
        if (resumed) {
            attempt = tx.findAttempt(row.id(), row.currentAttemptIndex).flatMap(a -> {
                bindLease(a, row, AttemptLifecycle.STARTED);
                return tx.updateAttempt(a).thenReturn(a.attemptType);
            });
        } else {
            attempt = startAttempt(tx, row, newType, nowMs).thenReturn(newType);
        }
        return tx.updateExecution(row)
                .then(tx.appendEvent(Events.lease(row, LeaseEvent.Type.ACQUIRED, nowMs)))
                .then(attempt)
                .map(type -> claimed(ClaimedRow.of(row, type, resumed)));
    }

    /** Issues a new lease on the row: a new lease id, the next epoch, expiry from the request's ttl. */
    static void issueLease(ExecutionRow row, ClaimRequest request, long nowMs) {
        row.leaseId = UUID.randomUUID();
        row.leaseEpoch = row.leaseEpoch + 1;
        row.leaseTtlMs = request.leaseTtl().toMillis();
        row.leaseExpiresAtMs = nowMs + row.leaseTtlMs;
        row.leaseWorkerId = request.workerId().value();
        row.leaseWorkerInstanceId = request.workerInstanceId().value();
        row.blockingDetail = null;
        row.updatedAtMs = nowMs;
        if (row.startedAtMs == null) {
            row.startedAtMs = nowMs;
        }
    }

    /**
     * Makes the next attempt index current, arms its timeout from the policy and inserts its record under
     * the row's (new) lease.
     */
    static Mono<Void> startAttempt(StoreTx tx, ExecutionRow row, AttemptType type, long nowMs) {
        ExecutionPolicy policy = PolicyCodec.decodePolicy(row.policyJson);
        row.currentAttemptIndex = row.totalAttemptCount;
        row.currentAttemptId = UUID.randomUUID();
        row.totalAttemptCount = row.totalAttemptCount + 1;
        row.progressPct = null;
        row.progressMessage = null;
        row.attemptDeadlineAtMs = policy.attemptTimeout() == null ? null : nowMs + policy.attemptTimeout().toMillis();
        AttemptRow a = new AttemptRow();
        a.partitionKey = row.partitionKey;
        a.executionId = row.executionId;
        a.attemptIndex = row.currentAttemptIndex;
        a.attemptId = row.currentAttemptId;
        a.attemptType = type;
        a.startedAtMs = nowMs;
        bindLease(a, row, AttemptLifecycle.STARTED);
        return tx.insertAttempt(a);
    }

    private static void bindLease(AttemptRow a, ExecutionRow row, AttemptLifecycle lifecycle) {
        a.attemptLifecycle = lifecycle;
        a.leaseId = row.leaseId;
        a.leaseEpoch = row.leaseEpoch;
        a.workerId = row.leaseWorkerId;
        a.workerInstanceId = row.leaseWorkerInstanceId;
    }

    static ClaimedExecution claimed(ClaimedRow row) {
        LeaseFence fence = new LeaseFence(LeaseId.of(row.leaseId()), row.leaseEpoch(), AttemptId.of(row.attemptId()));
        return new ClaimedExecution(row.id(), row.executionKind(), LaneId.of(row.laneId()),
                Namespace.of(row.namespace()), Payload.of(row.payload()), PolicyCodec.decodeTags(row.tagsJson()),
                row.priority(), fence, row.attemptIndex(), row.attemptType(), row.resumed(),
                Snapshots.instant(row.leaseExpiresAtMs()), Snapshots.instant(row.attemptDeadlineAtMs()));
    }
}
