package io.flowfabric.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.*;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * How the worker claims, against a real backend: batch size per round and idle back-off. A backend module
 * extends this class and supplies {@link #openEngine()}.
 */
public abstract class WorkerClaimingContractTest {
    private static final LaneId LANE = LaneId.of("claim-loop");
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One claimBatch call: the number asked for and the executions in flight when it was made. */
    record ClaimCall(int max, int held) {
    }

    /** Opens an engine over a fresh database of the backend under test. */
    protected abstract Engine openEngine();

    @Test
    void freeSlotsAreClaimedInOneRoundTripAndNeverOverClaimed() {
        Engine real = openEngine();
        List<ClaimCall> calls = new CopyOnWriteArrayList<>();
        WorkerRuntime[] worker = new WorkerRuntime[1];
        Engine engine = recording(real, real.leases(), calls,
                () -> worker[0].stats().running() + worker[0].stats().waiting());
        for (int i = 0; i < 10; i++) {
            real.executions().create(CreateExecution.of("work", LANE, Payload.utf8("item-" + i))).block(WAIT);
        }
        worker[0] = WorkerRuntime.builder(engine).lane(LANE).concurrency(4).prefetch(2)
                .pollInterval(Duration.ofMillis(20))
                .handler("work", ctx -> Mono.delay(Duration.ofMillis(50)).thenReturn(Payload.utf8("ok")))
                .build();

        worker[0].start();
        Awaiting.until(() -> worker[0].stats().completed() == 10, WAIT, "all ten completed");
        worker[0].shutdown().block(WAIT);
        real.shutdown().block(WAIT);

        assertThat(calls.get(0)).isEqualTo(new ClaimCall(6, 0));
        assertThat(calls).allSatisfy(call -> assertThat(call.max() + call.held()).isLessThanOrEqualTo(6));
        assertThat(worker[0].stats().claimed()).isEqualTo(10);
    }

    @Test
    void anIdleWorkerDoublesItsPollIntervalUpToTheMaximum() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        List<ClaimCall> calls = new CopyOnWriteArrayList<>();
        Engine real = openEngine();
        Engine engine = recording(real, new NoWork(), calls, () -> 0);
        WorkerRuntime worker = WorkerRuntime.builder(engine).lane(LANE).scheduler(time)
                .pollInterval(Duration.ofMillis(50)).maxPollInterval(Duration.ofMillis(200))
                .handler("work", ctx -> Mono.empty())
                .build();

        worker.start();
        time.advanceTimeBy(Duration.ofMillis(1000));

        // claims at 0, 50, 150, 350, 550, 750 and 950 ms
        assertThat(calls).hasSize(7);
        worker.shutdown().block(WAIT);
        time.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(calls).as("no claim after shutdown").hasSize(7);
        time.dispose();
        real.shutdown().block(WAIT);
    }

    /** An engine whose claimBatch calls are recorded before they reach {@code leases}. */
    private static Engine recording(Engine base, Leases leases, List<ClaimCall> calls, IntSupplier inFlight) {
        Leases recorded = new Leases() {
            @Override public Mono<ClaimedExecution> claim(ClaimRequest request) { return leases.claim(request); }
            @Override public Flux<ClaimedExecution> claimBatch(ClaimRequest request, int max) {
                calls.add(new ClaimCall(max, inFlight.getAsInt()));
                return leases.claimBatch(request, max);
            }
            @Override public Mono<LeaseRenewal> renew(RenewLease request) { return leases.renew(request); }
            @Override public Mono<Void> progress(ReportProgress request) { return leases.progress(request); }
            @Override public Mono<Completed> complete(CompleteExecution request) { return leases.complete(request); }
            @Override public Flux<BatchItem<Completed>> completeBatch(List<CompleteExecution> requests) {
                return leases.completeBatch(requests);
            }
            @Override public Mono<FailOutcome> fail(FailExecution request) { return leases.fail(request); }
            @Override public Mono<Void> cancel(CancelLeased request) { return leases.cancel(request); }
            @Override public Mono<Void> delay(DelayExecution request) { return leases.delay(request); }
            @Override public Mono<ClaimedExecution> reclaim(ReclaimExecution request) { return leases.reclaim(request); }
            @Override public Flux<ClaimedExecution> reclaimBatch(ClaimRequest request, int max) {
                return leases.reclaimBatch(request, max);
            }
        };
        return new Engine() {
            @Override public Executions executions() { return base.executions(); }
            @Override public Leases leases() { return recorded; }
            @Override public io.flowfabric.api.feed.Feeds feeds() { return base.feeds(); }
            @Override public io.flowfabric.api.reconcile.Reconcilers reconcilers() { return base.reconcilers(); }
            @Override public io.flowfabric.api.signal.Signals signals() { return base.signals(); }
            @Override public Clock clock() { return base.clock(); }
            @Override public String backend() { return base.backend(); }
            @Override public Mono<Void> shutdown() { return base.shutdown(); }
        };
    }

    /** Leases over an empty lane: every claim completes empty at once, on the caller's thread. */
    private static final class NoWork implements Leases {
        @Override public Mono<ClaimedExecution> claim(ClaimRequest request) { return Mono.empty(); }
        @Override public Flux<ClaimedExecution> claimBatch(ClaimRequest request, int max) { return Flux.empty(); }
        @Override public Mono<LeaseRenewal> renew(RenewLease request) { return unexpected(); }
        @Override public Mono<Void> progress(ReportProgress request) { return unexpected(); }
        @Override public Mono<Completed> complete(CompleteExecution request) { return unexpected(); }
        @Override public Flux<BatchItem<Completed>> completeBatch(List<CompleteExecution> requests) {
            return Flux.error(new AssertionError("no execution was claimed"));
        }
        @Override public Mono<FailOutcome> fail(FailExecution request) { return unexpected(); }
        @Override public Mono<Void> cancel(CancelLeased request) { return unexpected(); }
        @Override public Mono<Void> delay(DelayExecution request) { return unexpected(); }
        @Override public Mono<ClaimedExecution> reclaim(ReclaimExecution request) { return unexpected(); }
        @Override public Flux<ClaimedExecution> reclaimBatch(ClaimRequest request, int max) { return Flux.empty(); }

        private static <T> Mono<T> unexpected() {
            return Mono.error(new AssertionError("no execution was claimed"));
        }
    }
}
