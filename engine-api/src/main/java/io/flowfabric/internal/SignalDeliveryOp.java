package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.feed.SignalEvent.Effect;
import io.flowfabric.api.signal.DeliverSignal;
import io.flowfabric.api.signal.ExecutionNotSuspendedException;
import io.flowfabric.api.signal.ResumeCondition;
import io.flowfabric.api.signal.SignalDelivery;
import io.flowfabric.api.signal.Signals;
import io.flowfabric.api.signal.TargetNotSignalableException;
import io.flowfabric.api.signal.WaitpointClosedException;
import io.flowfabric.api.signal.WaitpointToken;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.Transition;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/**
 * Signal delivery and resume. Delivery verifies the token before it reads anything about the execution,
 * then records the signal (buffered on a pending waitpoint, or evaluated against the open suspension) and
 * writes a signal event in the same transaction.
 */
final class SignalDeliveryOp {
    private final Store store;
    private final Clock clock;
    private final SigningKeys keys;

    SignalDeliveryOp(Store store, Clock clock, SigningKeys keys) {
        this.store = store;
        this.clock = clock;
        this.keys = keys;
    }

    Mono<SignalDelivery> deliver(DeliverSignal request) {
        return Mono.defer(() -> {
            WaitpointToken token = WaitpointToken.parse(request.token());
            long now = clock.millis();
            ExecutionId id = request.executionId();
            return store.inTransaction(tx -> keys.verifying(tx, token, now)
                    .flatMap(key -> TokenSigner.verify(token, key.secret, id, request.waitpointId())
                            ? tx.lockExecution(id).switchIfEmpty(ExecutionOps.notFound(id))
                            : Mono.error(new ValidationException(ValidationException.Kind.INVALID_TOKEN,
                                    "the waitpoint token does not verify")))
                    .flatMap(row -> deliverVerified(tx, row, request, now)));
        });
    }

    private Mono<SignalDelivery> deliverVerified(StoreTx tx, ExecutionRow row, DeliverSignal request, long now) {
        if (row.lifecyclePhase == LifecyclePhase.TERMINAL) {
            return Mono.error(new TargetNotSignalableException(row.id().toString()));
        }
        return tx.findWaitpoints(row.id()).collectList().flatMap(waitpoints -> {
            WaitpointRow waitpoint = waitpoints.stream().filter(w -> w.waitpointId.equals(request.waitpointId()))
                    .findFirst().orElse(null);
            if (waitpoint == null) {
                return Mono.error(new NotFoundException("waitpoint", request.waitpointId().toString()));
            }
            if (WaitpointOps.CLOSED.equals(waitpoint.state)) {
                return Mono.error(new WaitpointClosedException(waitpoint.waitpointId.toString()));
            }
            Mono<SignalRow> earlier = request.idempotencyKey() == null ? Mono.empty()
                    : tx.findSignalByKey(row.id(), request.idempotencyKey());
            return earlier.flatMap(first -> tx.appendEvent(Events.signal(row, Effect.DEDUPLICATED, first.signalId,
                                    first.waitpointId, now))
                            .thenReturn(new SignalDelivery(first.signalId, Effect.DEDUPLICATED)))
                    .switchIfEmpty(Mono.defer(() -> tx.countSignals(row.id()).flatMap(count -> count
                            >= Signals.MAX_SIGNALS_PER_EXECUTION
                            ? Mono.error(new ValidationException(ValidationException.Kind.SIGNAL_LIMIT_EXCEEDED,
                                    "execution " + row.id() + " already received " + count + " signals"))
                            : record(tx, row, waitpoint, waitpoints, request, now))));
        });
    }

    private Mono<SignalDelivery> record(StoreTx tx, ExecutionRow row, WaitpointRow waitpoint,
            List<WaitpointRow> waitpoints, DeliverSignal request, long now) {
        SignalRow signal = newSignal(row, waitpoint, request, now);
        Mono<Boolean> satisfied = WaitpointOps.ACTIVE.equals(waitpoint.state)
                && row.lifecyclePhase == LifecyclePhase.SUSPENDED
                ? tx.findOpenSuspension(row.id())
                        .filter(s -> ConditionCodec.decode(s.conditionJson).counts(Signaled.received(signal)))
                        .flatMap(s -> tx.findSignals(row.id()).collectList().flatMap(stored -> {
                    Set<UUID> bound = waitpoints.stream().filter(w -> s.suspensionId.equals(w.suspensionId))
                            .map(w -> w.waitpointId).collect(Collectors.toSet());
                    List<SignalRow> all = new java.util.ArrayList<>(stored);
                    all.add(signal);
                    ResumeCondition condition = ConditionCodec.decode(s.conditionJson);
                    if (!condition.isSatisfiedBy(Signaled.received(all, bound))) {
                        return Mono.just(false);
                    }
                    return resume(tx, row, s, waitpoints, "satisfied", now).thenReturn(true);
                })).defaultIfEmpty(false)
                : Mono.just(false);
        return satisfied.flatMap(done -> {
            Effect effect = done ? Effect.SATISFIED : Effect.BUFFERED;
            signal.effect = effect.name().toLowerCase(java.util.Locale.ROOT);
            return tx.insertSignal(signal)
                    .then(tx.appendEvent(Events.signal(row, effect, signal.signalId, waitpoint.waitpointId, now)))
                    .thenReturn(new SignalDelivery(signal.signalId, effect));
        });
    }

    /**
     * A trusted approval: checks the lane, finds the open waitpoint by key and delivers through the normal
     * path with a token derived from the waitpoint's signing key.
     */
    Mono<SignalDelivery> deliverApproval(io.flowfabric.api.signal.DeliverApproval request) {
        ExecutionId id = request.executionId();
        return store.read(r -> r.findExecution(id).switchIfEmpty(ExecutionOps.notFound(id)).flatMap(row -> {
                    if (!row.laneId.equals(request.lane().value())) {
                        return Mono.error(new io.flowfabric.api.error.ConflictException("execution " + id
                                + " is not in lane " + request.lane()));
                    }
                    return r.findWaitpoints(id).collectList()
                            .flatMap(all -> Mono.justOrEmpty(all.stream().filter(w -> !WaitpointOps.CLOSED.equals(w.state)
                                    && w.waitpointKey.equals(request.waitpointKey())).findFirst()))
                            .switchIfEmpty(Mono.error(() -> new NotFoundException("waitpoint", request.waitpointKey())))
                            .flatMap(w -> r.findSigningKey(w.tokenKid).map(key -> new DeliverSignal(id, w.waitpointId,
                                    TokenSigner.sign(key.kid, key.secret, id, w.waitpointId).reveal(),
                                    request.decision(), "operator", request.approver(),
                                    "approval:" + request.decision() + ":" + request.approver(), null)));
                }))
                .flatMap(this::deliver);
    }

    Mono<Void> operatorResume(ExecutionId id) {
        return Mono.defer(() -> {
            long now = clock.millis();
            return store.inTransaction(tx -> tx.lockExecution(id).switchIfEmpty(ExecutionOps.notFound(id))
                    .flatMap(row -> row.lifecyclePhase != LifecyclePhase.SUSPENDED
                            ? Mono.error(new ExecutionNotSuspendedException(id.toString()))
                            : Mono.zip(tx.findOpenSuspension(id), tx.findWaitpoints(id).collectList())
                                    .flatMap(t -> resume(tx, row, t.getT1(), t.getT2(), "operator_resume", now))));
        });
    }

    /** Closes the suspension and its waitpoints and makes the execution runnable (or delayed). */
    static Mono<Void> resume(StoreTx tx, ExecutionRow row, SuspensionRow suspension, List<WaitpointRow> waitpoints,
            String reason, long now) {
        Mono<Void> close = SuspensionTimeouts.close(tx, suspension, waitpoints, reason, now);
        boolean delayed = suspension.resumeDelayMs > 0;
        row.setState((delayed ? Transition.RESUME_DELAYED : Transition.RESUME).apply(row.lifecyclePhase));
        row.eligibleAtMs = now + suspension.resumeDelayMs;
        row.blockingDetail = null;
        row.updatedAtMs = now;
        return close.then(tx.updateExecution(row));
    }

    private static SignalRow newSignal(ExecutionRow row, WaitpointRow waitpoint, DeliverSignal request, long now) {
        SignalRow s = new SignalRow();
        s.partitionKey = row.partitionKey;
        s.executionId = row.executionId;
        s.signalId = UUID.randomUUID();
        s.waitpointId = waitpoint.waitpointId;
        s.waitpointKey = waitpoint.waitpointKey;
        s.signalName = request.name();
        s.sourceType = request.sourceType();
        s.sourceIdentity = request.sourceIdentity();
        s.idempotencyKey = request.idempotencyKey();
        s.payload = request.payload().bytes();
        s.deliveredAtMs = now;
        return s;
    }
}
