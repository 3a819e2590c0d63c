package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.signal.CreateWaitpoint;
import io.flowfabric.api.signal.IssuedWaitpoint;
import io.flowfabric.api.signal.ReceivedSignal;
import io.flowfabric.api.signal.ResumeCondition;
import io.flowfabric.api.signal.SuspendExecution;
import io.flowfabric.api.signal.SuspendOutcome;
import io.flowfabric.api.signal.WaitpointToken;
import io.flowfabric.api.state.Transition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Creating waitpoints and suspending, both under the caller's lease. */
final class WaitpointOps {
    static final String PENDING = "pending";
    static final String ACTIVE = "active";
    static final String CLOSED = "closed";

    private final Store store;
    private final Clock clock;
    private final SigningKeys keys;

    WaitpointOps(Store store, Clock clock, SigningKeys keys) {
        this.store = store;
        this.clock = clock;
        this.keys = keys;
    }

    Mono<IssuedWaitpoint> createWaitpoint(CreateWaitpoint request) {
        return Fenced.run(store, clock, request.executionId(), request.fence(), (tx, row) -> {
            long now = clock.millis();
            return tx.findWaitpoints(row.id()).collectList().flatMap(existing -> {
                if (existing.stream().anyMatch(w -> !CLOSED.equals(w.state) && w.waitpointKey.equals(request.waitpointKey()))) {
                    return Mono.error(new ConflictException("execution " + row.id() + " already has an open waitpoint "
                            + "with key " + request.waitpointKey()));
                }
                return keys.current(tx).flatMap(key -> {
                    WaitpointRow w = newWaitpoint(row, request.waitpointKey(), PENDING, now);
                    w.expiresAtMs = now + request.expiresIn().toMillis();
                    WaitpointToken token = sign(key, w);
                    w.tokenKid = key.kid;
                    w.tokenFingerprint = token.fingerprint();
                    return tx.insertWaitpoint(w).thenReturn(new IssuedWaitpoint(w.waitpointId, w.waitpointKey, token,
                            Snapshots.instant(w.expiresAtMs)));
                });
            });
        }, LeaseOps::notActive);
    }

    /**
     * Suspends, or answers as the first suspend with the same idempotency key did. That check comes before
     * the fence check: the first suspend released the lease, so its fence no longer holds.
     */
    Mono<SuspendOutcome> suspend(SuspendExecution request) {
        ExecutionId id = request.executionId();
        Mono<SuspendOutcome> fresh = Fenced.run(store, clock, id, request.fence(),
                (tx, row) -> suspendLeased(tx, row, request, clock.millis()), LeaseOps::notActive);
        if (request.idempotencyKey() == null) {
            return fresh;
        }
        return Mono.defer(() -> store.inTransaction(tx -> tx.findSuspensionByKey(id, request.idempotencyKey())
                        .flatMap(previous -> replay(tx, id, previous))))
                .switchIfEmpty(fresh);
    }

    private Mono<SuspendOutcome> suspendLeased(StoreTx tx, ExecutionRow row, SuspendExecution request, long now) {
        ResumeCondition condition = request.condition();
        return Mono.zip(tx.findWaitpoints(row.id()).collectList(), tx.findSignals(row.id()).collectList(),
                keys.current(tx)).flatMap(found -> {
                    List<WaitpointRow> pending = found.getT1().stream()
                            .filter(w -> PENDING.equals(w.state) && condition.namedWaitpointKeys().contains(w.waitpointKey))
                            .toList();
                    Set<UUID> pendingIds = pending.stream().map(w -> w.waitpointId).collect(Collectors.toSet());
                    List<ReceivedSignal> buffered = Signaled.received(found.getT2(), pendingIds);
                    if (!pending.isEmpty() && condition.isSatisfiedBy(buffered)) {
                        return Mono.just(new SuspendOutcome.AlreadySatisfied(buffered));
                    }
                    return bind(tx, row, request, pending, found.getT3(), now);
                });
    }

    private Mono<SuspendOutcome> bind(StoreTx tx, ExecutionRow row, SuspendExecution request, List<WaitpointRow> pending,
            SigningKeyRow key, long now) {
        UUID suspensionId = UUID.randomUUID();
        List<Mono<Void>> writes = new ArrayList<>();
        List<IssuedWaitpoint> issued = new ArrayList<>();
        Set<String> pendingKeys = pending.stream().map(w -> w.waitpointKey).collect(Collectors.toSet());
        for (WaitpointRow w : pending) {
            WaitpointToken token = sign(key, w);
            w.state = ACTIVE;
            w.activatedAtMs = now;
            w.expiresAtMs = null;
            w.suspensionId = suspensionId;
            w.tokenKid = key.kid;
            w.tokenFingerprint = token.fingerprint();
            writes.add(tx.updateWaitpoint(w));
            issued.add(new IssuedWaitpoint(w.waitpointId, w.waitpointKey, token, null));
        }
        for (String waitpointKey : request.condition().namedWaitpointKeys().stream().sorted().toList()) {
            if (!pendingKeys.contains(waitpointKey)) {
                WaitpointRow w = newWaitpoint(row, waitpointKey, ACTIVE, now);
                WaitpointToken token = sign(key, w);
                w.tokenKid = key.kid;
                w.tokenFingerprint = token.fingerprint();
                w.activatedAtMs = now;
                w.suspensionId = suspensionId;
                writes.add(tx.insertWaitpoint(w));
                issued.add(new IssuedWaitpoint(w.waitpointId, w.waitpointKey, token, null));
            }
        }
        SuspensionRow s = Suspensions.newRow(row, suspensionId, request, issued, now);
        row.setState(Transition.SUSPEND.apply(row.lifecyclePhase));
        row.blockingDetail = request.reasonCode();
        row.leaseExpiresAtMs = null;
        row.updatedAtMs = now;
        return Flux.concat(writes).then(tx.insertSuspension(s))
                .then(tx.updateExecution(row))
                .then(tx.appendEvent(Events.lease(row, LeaseEvent.Type.RELEASED, now)))
                .then(Attempts.pause(tx, row))
                .thenReturn(new SuspendOutcome.Suspended(suspensionId, issued));
    }

    /** The stored outcome of an earlier suspend with the same key; tokens are re-derived, never stored. */
    private Mono<SuspendOutcome> replay(StoreTx tx, ExecutionId id, SuspensionRow previous) {
        return tx.findWaitpoints(id).collectList().flatMap(all -> Flux.fromIterable(Suspensions.waitpointIds(previous))
                .concatMap(wpId -> Mono.justOrEmpty(all.stream().filter(w -> w.waitpointId.equals(wpId)).findFirst()))
                .concatMap(w -> tx.findSigningKey(w.tokenKid).map(key -> new IssuedWaitpoint(w.waitpointId,
                        w.waitpointKey, TokenSigner.sign(key.kid, key.secret, id, w.waitpointId), null)))
                .collectList()
                .map(issued -> (SuspendOutcome) new SuspendOutcome.Suspended(previous.suspensionId, issued)));
    }

    private static WaitpointToken sign(SigningKeyRow key, WaitpointRow w) {
        return TokenSigner.sign(key.kid, key.secret, new ExecutionId(w.partitionKey, w.executionId), w.waitpointId);
    }

    private static WaitpointRow newWaitpoint(ExecutionRow row, String waitpointKey, String state, long now) {
        WaitpointRow w = new WaitpointRow();
        w.partitionKey = row.partitionKey;
        w.executionId = row.executionId;
        w.waitpointId = UUID.randomUUID();
        w.waitpointKey = waitpointKey;
        w.state = state;
        w.createdAtMs = now;
        return w;
    }
}
