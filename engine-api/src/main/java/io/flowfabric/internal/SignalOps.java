package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Page;
import io.flowfabric.api.signal.CreateWaitpoint;
import io.flowfabric.api.signal.DeliverSignal;
import io.flowfabric.api.signal.IssuedWaitpoint;
import io.flowfabric.api.signal.ListOpenWaitpoints;
import io.flowfabric.api.signal.ReceivedSignal;
import io.flowfabric.api.signal.SignalDelivery;
import io.flowfabric.api.signal.Signals;
import io.flowfabric.api.signal.SuspendExecution;
import io.flowfabric.api.signal.SuspendOutcome;
import io.flowfabric.api.signal.WaitpointInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/** {@link Signals} over a {@link Store}. */
final class SignalOps implements Signals {
    private final Store store;
    private final SigningKeys keys;
    private final WaitpointOps waitpoints;
    private final SignalDeliveryOp delivery;

    SignalOps(Store store, Clock clock) {
        this.store = store;
        this.keys = new SigningKeys(store, clock);
        this.waitpoints = new WaitpointOps(store, clock, keys);
        this.delivery = new SignalDeliveryOp(store, clock, keys);
    }

    @Override
    public Mono<IssuedWaitpoint> createWaitpoint(CreateWaitpoint request) {
        return waitpoints.createWaitpoint(request);
    }

    @Override
    public Mono<SuspendOutcome> suspend(SuspendExecution request) {
        return waitpoints.suspend(request);
    }

    @Override
    public Mono<SignalDelivery> deliver(DeliverSignal request) {
        return delivery.deliver(request);
    }

    @Override
    public Mono<SignalDelivery> deliverApproval(io.flowfabric.api.signal.DeliverApproval request) {
        return delivery.deliverApproval(request);
    }

    @Override
    public Mono<io.flowfabric.api.signal.SuspensionInfo> describeSuspension(ExecutionId executionId) {
        return store.read(r -> r.findExecution(executionId).switchIfEmpty(ExecutionOps.notFound(executionId))
                .then(r.findOpenSuspension(executionId))
                .flatMap(s -> Mono.zip(r.findWaitpoints(executionId).collectList(),
                        r.findSignals(executionId).collectList()).map(t -> SuspensionView.of(s, t.getT1(), t.getT2()))));
    }

    @Override
    public Mono<Void> resume(ExecutionId executionId) {
        return delivery.operatorResume(executionId);
    }

    @Override
    public Mono<List<ReceivedSignal>> resumeSignals(ExecutionId executionId) {
        return store.read(r -> r.findExecution(executionId).switchIfEmpty(ExecutionOps.notFound(executionId))
                .then(Mono.zip(r.findWaitpoints(executionId).collectList(), r.findSignals(executionId).collectList()))
                .map(t -> {
                    UUID latest = t.getT1().stream().filter(w -> w.suspensionId != null && w.activatedAtMs != null)
                            .max(Comparator.comparingLong((WaitpointRow w) -> w.activatedAtMs))
                            .map(w -> w.suspensionId).orElse(null);
                    Set<UUID> bound = t.getT1().stream().filter(w -> latest != null && latest.equals(w.suspensionId))
                            .map(w -> w.waitpointId).collect(Collectors.toSet());
                    return Signaled.received(t.getT2(), bound);
                }));
    }

    @Override
    public Mono<Page<WaitpointInfo>> listOpenWaitpoints(ListOpenWaitpoints request) {
        return Mono.defer(() -> {
            ExecutionId id = request.executionId();
            WaitpointCursor after = request.cursor() == null ? null : WaitpointCursor.decode(request.cursor());
            WaitpointQuery query = new WaitpointQuery(id, after == null ? null : after.createdAtMs(),
                    after == null ? null : after.waitpointId(), request.limit());
            return store.read(r -> r.findExecution(id).switchIfEmpty(ExecutionOps.notFound(id))
                    .then(request.limit() == 0 ? Mono.just(List.<WaitpointRow>of())
                            : r.listOpenWaitpoints(query).collectList()))
                    .map(rows -> {
                        String next = null;
                        if (!rows.isEmpty() && rows.size() == request.limit()) {
                            WaitpointRow last = rows.get(rows.size() - 1);
                            next = new WaitpointCursor(last.createdAtMs, last.waitpointId).encode();
                        }
                        return new Page<>(rows.stream().map(SuspensionView::info).toList(), next);
                    });
        });
    }

    @Override
    public Mono<Boolean> seedSigningKey(String kid, String secretHex) {
        return keys.seed(kid, secretHex);
    }

    @Override
    public Mono<Void> rotateSigningKey(String kid, String secretHex, Duration grace) {
        return keys.rotate(kid, secretHex, grace);
    }
}
