package io.flowfabric.internal;

import io.flowfabric.api.Capabilities;
import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.ReclaimExecution;
import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.ReclaimCapExceededException;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.Transition;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reclaims: an execution whose lease expired or was revoked gets a new attempt (type {@code reclaim}, next
 * index) under a new lease with the next epoch; the interrupted attempt ends {@code interrupted_reclaimed}.
 * Past the policy's reclaim cap the execution fails instead.
 */
final class ReclaimOp {
    private ReclaimOp() {
    }

    /** What reclaiming one row did: a claim, or a failure at the reclaim cap. */
    private record Outcome(ClaimedExecution claimed, ReclaimCapExceededException capExceeded) {
    }

    static Flux<ClaimedExecution> reclaimBatch(Store store, ClaimRequest request, int max, long nowMs) {
        ClaimQuery query = new ClaimQuery(request.namespace().value(), request.lane().value(),
                List.copyOf(request.capabilities()), nowMs, max);
        return store.inTransaction(tx -> tx.lockReclaimable(query)
                        .collectList()
                        .flatMapMany(Flux::fromIterable)
                        .concatMap(row -> reclaimRow(tx, row, request, nowMs))
                        .filter(outcome -> outcome.claimed() != null)
                        .map(Outcome::claimed)
                        .collectList())
                .flatMapIterable(claimed -> claimed);
    }

    /** The cap failure is committed before it is reported, so it is an outcome inside the transaction. */
    static Mono<ClaimedExecution> reclaim(Store store, ReclaimExecution request, long nowMs) {
        return store.inTransaction(tx -> tx.lockExecution(request.executionId())
                        .switchIfEmpty(ExecutionOps.notFound(request.executionId()))
                        .flatMap(row -> {
                            requireReclaimable(row, request.claim());
                            return reclaimRow(tx, row, request.claim(), nowMs);
                        }))
                .flatMap(outcome -> outcome.claimed() != null ? Mono.just(outcome.claimed())
                        : Mono.error(outcome.capExceeded()));
    }

    private static void requireReclaimable(ExecutionRow row, ClaimRequest request) {
        // A lapsed lease becomes reclaimable once the lease-expiry reconciler recorded it, so every reclaim
        // follows an "expired" event in the lease history.
        boolean lapsed = row.ownershipState == OwnershipState.LEASE_EXPIRED_RECLAIMABLE
                || row.ownershipState == OwnershipState.LEASE_REVOKED;
        if (row.lifecyclePhase != LifecyclePhase.ACTIVE || !lapsed) {
            throw new ConflictException("execution " + row.id() + " is not reclaimable (phase "
                    + row.lifecyclePhase.literal() + ", ownership " + row.ownershipState.literal() + ")");
        }
        if (!row.laneId.equals(request.lane().value()) || !row.namespace.equals(request.namespace().value())) {
            throw new ConflictException("execution " + row.id() + " is not in lane " + request.lane()
                    + " of namespace " + request.namespace());
        }
        if (!Capabilities.satisfies(request.capabilities(), Set.copyOf(row.requiredCapabilities))) {
            throw new ConflictException("the worker lacks capabilities execution " + row.id() + " requires");
        }
    }

    private static Mono<Outcome> reclaimRow(StoreTx tx, ExecutionRow row, ClaimRequest request, long nowMs) {
        ExecutionPolicy policy = PolicyCodec.decodePolicy(row.policyJson);
        if (row.reclaimCount >= policy.maxReclaimCount()) {
            return failAtCap(tx, row, nowMs);
        }
        Mono<Void> interrupted = Attempts.end(tx, row, AttemptLifecycle.INTERRUPTED_RECLAIMED, nowMs,
                "LeaseLost", "the lease was " + (row.ownershipState == OwnershipState.LEASE_REVOKED ? "revoked"
                        : "not renewed in time") + "; the execution was reclaimed");
        row.setState(Transition.RECLAIM.apply(row.lifecyclePhase));
        row.reclaimCount = row.reclaimCount + 1;
        ClaimOp.issueLease(row, request, nowMs);
        return interrupted
                .then(ClaimOp.startAttempt(tx, row, AttemptType.RECLAIM, nowMs))
                .then(tx.updateExecution(row))
                .then(tx.appendEvent(Events.lease(row, LeaseEvent.Type.RECLAIMED, nowMs)))
                .then(Mono.fromSupplier(() -> new Outcome(
                        ClaimOp.claimed(ClaimedRow.of(row, AttemptType.RECLAIM, false)), null)));
    }

    private static Mono<Outcome> failAtCap(StoreTx tx, ExecutionRow row, long nowMs) {
        String message = "reclaimed " + row.reclaimCount + " times, the policy's limit";
        Mono<Void> endAttempt = Attempts.end(tx, row, AttemptLifecycle.ENDED_FAILURE, nowMs, "ReclaimCapExceeded",
                message);
        LeaseOps.finish(row, Transition.RECLAIM_CAP_EXCEEDED, nowMs);
        row.lastErrorType = "ReclaimCapExceeded";
        row.lastErrorMessage = message;
        return endAttempt
                .then(tx.updateExecution(row))
                .then(tx.appendEvent(Events.completion(row, nowMs)))
                .thenReturn(new Outcome(null, new ReclaimCapExceededException(row.id().toString(), row.reclaimCount)));
    }
}
