package io.flowfabric.internal;

import io.flowfabric.api.LeaseId;
import io.flowfabric.api.RevokeLease;
import io.flowfabric.api.RevokeResult;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.feed.OperatorEvent;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.state.Transition;
import java.util.Map;
import reactor.core.publisher.Mono;

/** Operator revoke of a live lease: the execution stays active, reclaimable, and its holder is fenced out. */
final class RevokeOp {
    private RevokeOp() {
    }

    static Mono<RevokeResult> revoke(Store store, RevokeLease request, long nowMs) {
        return store.inTransaction(tx -> tx.lockExecution(request.executionId())
                .switchIfEmpty(ExecutionOps.notFound(request.executionId()))
                .flatMap(row -> {
                    if (row.lifecyclePhase != LifecyclePhase.ACTIVE || row.ownershipState != OwnershipState.LEASED) {
                        return Mono.just(new RevokeResult.NotRevoked(RevokeResult.Reason.NO_ACTIVE_LEASE));
                    }
                    if (request.expectedLeaseId() != null
                            && !request.expectedLeaseId().value().equals(row.leaseId)) {
                        return Mono.just(new RevokeResult.NotRevoked(RevokeResult.Reason.LEASE_ID_MISMATCH));
                    }
                    row.setState(Transition.REVOKE_LEASE.apply(row.lifecyclePhase));
                    row.blockingDetail = request.reason() == null ? "lease revoked by operator" : request.reason();
                    row.updatedAtMs = nowMs;
                    RevokeResult result = new RevokeResult.Revoked(LeaseId.of(row.leaseId), row.leaseEpoch);
                    return tx.updateExecution(row)
                            .then(tx.appendEvent(Events.lease(row, LeaseEvent.Type.REVOKED, nowMs)))
                            .then(tx.appendEvent(Events.operator(row, OperatorEvent.Type.LEASE_REVOKED,
                                    Map.of("lease_id", row.leaseId.toString(), "reason", row.blockingDetail), nowMs)))
                            .thenReturn(result);
                }));
    }
}
