package io.flowfabric.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.AttemptInfo;
import io.flowfabric.api.CancelExecution;
import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.ExecutionSnapshot;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.api.state.PublicState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The {@link WorkerRuntime} against a real backend. A backend module extends this class and supplies
 * {@link #openEngine()}; every test claims from its own lane, so the engines may share one database.
 */
@Timeout(60)
public abstract class WorkerRuntimeContractTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<WorkerRuntime> workers = new ArrayList<>();
    private Engine engine;
    private LaneId lane;

    /** Called before each test; the engine is shut down after it. */
    protected abstract Engine openEngine();

    @BeforeEach
    void openEngineAndLane() {
        engine = openEngine();
        lane = LaneId.of("worker-runtime-" + UUID.randomUUID());
    }

    @AfterEach
    void shutDown() {
        for (WorkerRuntime worker : workers) {
            worker.shutdown().block(WAIT);
        }
        engine.shutdown().block(WAIT);
    }

    @Test
    void everyExecutionCompletesWithItsHandlerResult() {
        WorkerRuntime worker = start(worker().concurrency(4).handler("echo", ctx -> ctx.progress(50, "halfway")
                .then(Mono.fromSupplier(() -> Payload.utf8("echo:" + ctx.payload().asUtf8() + ":" + ctx.attemptIndex()
                        + ":" + ctx.attemptType().literal())))));
        List<ExecutionId> ids = createAll("echo", 20, null);

        for (int i = 0; i < ids.size(); i++) {
            ExecutionSnapshot done = Awaiting.terminal(engine, ids.get(i), WAIT);
            assertThat(done.publicState()).isEqualTo(PublicState.COMPLETED);
            assertThat(done.attempts()).hasSize(1);
            StepVerifier.create(engine.executions().result(ids.get(i)).map(Payload::asUtf8))
                    .expectNext("echo:item-" + i + ":0:initial")
                    .verifyComplete();
        }
        assertThat(worker.stats()).satisfies(stats -> {
            assertThat(stats.claimed()).isEqualTo(20);
            assertThat(stats.completed()).isEqualTo(20);
            assertThat(stats.failed()).isZero();
        });
        Awaiting.until(() -> worker.stats().inFlight() == 0, WAIT, "no execution is in flight");
    }

    @Test
    void runningExecutionsNeverExceedTheConcurrency() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger maxCountedRunning = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        WorkerRuntime[] self = new WorkerRuntime[1];
        self[0] = start(worker().concurrency(3).handler("slow", ctx -> Mono.defer(() -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            maxCountedRunning.accumulateAndGet(self[0].stats().running(), Math::max);
            maxInFlight.accumulateAndGet(self[0].stats().inFlight(), Math::max);
            return Mono.delay(Duration.ofMillis(100)).thenReturn(Payload.utf8("done"));
        }).doOnTerminate(running::decrementAndGet))); // a handler has ended when it emits its outcome
        List<ExecutionId> ids = createAll("slow", 12, null);

        ids.forEach(id -> assertThat(Awaiting.terminal(engine, id, WAIT).publicState())
                .isEqualTo(PublicState.COMPLETED));
        assertThat(maxRunning.get()).isBetween(2, 3);
        assertThat(maxCountedRunning.get()).isLessThanOrEqualTo(3);
        assertThat(maxInFlight.get()).as("waiting (prefetch 3 by default), running and reporting")
                .isLessThanOrEqualTo(9);
        assertThat(self[0].stats().claimed()).isEqualTo(12);
    }

    @Test
    void aFailedAttemptIsRetriedPerPolicyAndCompletesLater() {
        WorkerRuntime worker = start(worker().handler("flaky", ctx -> ctx.attemptIndex() == 0
                ? Mono.error(new IllegalStateException("first attempt fails"))
                : Mono.just(Payload.utf8("ok on attempt " + ctx.attemptIndex()))));
        ExecutionId id = create("flaky", "x", RetryPolicy.fixed(2, Duration.ofMillis(50)));

        ExecutionSnapshot done = Awaiting.terminal(engine, id, WAIT);

        assertThat(done.publicState()).isEqualTo(PublicState.COMPLETED);
        assertThat(done.retryCount()).isEqualTo(1);
        assertThat(done.attempts()).hasSize(2);
        AttemptInfo first = done.attempts().get(0);
        assertThat(first.attemptType()).isEqualTo(AttemptType.INITIAL);
        assertThat(first.lifecycle()).isEqualTo(AttemptLifecycle.ENDED_FAILURE);
        assertThat(first.errorType()).isEqualTo("IllegalStateException");
        assertThat(first.errorMessage()).isEqualTo("first attempt fails");
        AttemptInfo second = done.attempts().get(1);
        assertThat(second.attemptType()).isEqualTo(AttemptType.RETRY);
        assertThat(second.lifecycle()).isEqualTo(AttemptLifecycle.ENDED_SUCCESS);
        assertThat(engine.executions().result(id).map(Payload::asUtf8).block(WAIT)).isEqualTo("ok on attempt 1");
        assertThat(worker.stats().failed()).isEqualTo(1);
        assertThat(worker.stats().completed()).isEqualTo(1);
    }

    @Test
    void aHandlerThatExceedsTheTimeoutFailsItsAttempt() {
        AtomicBoolean cancelled = new AtomicBoolean();
        start(worker().handlerTimeout(Duration.ofMillis(300))
                .handler("stuck", ctx -> Mono.<Payload>never().doOnCancel(() -> cancelled.set(true))));
        ExecutionId id = create("stuck", "x", null);

        ExecutionSnapshot done = Awaiting.terminal(engine, id, WAIT);

        assertThat(done.publicState()).isEqualTo(PublicState.FAILED);
        assertThat(done.lastErrorType()).isEqualTo(WorkerRuntime.HANDLER_TIMEOUT);
        assertThat(done.attempts()).singleElement()
                .satisfies(attempt -> assertThat(attempt.errorType()).isEqualTo(WorkerRuntime.HANDLER_TIMEOUT));
        assertThat(cancelled).isTrue();
    }

    @Test
    void renewalKeepsAHandlerRunningLongerThanTheLeaseTtl() {
        WorkerRuntime worker = start(worker().leaseTtl(Duration.ofMillis(300)).handler("long",
                ctx -> Mono.delay(Duration.ofSeconds(1)).thenReturn(Payload.utf8("outlived the ttl"))));
        ExecutionId id = create("long", "x", null);

        ExecutionSnapshot done = Awaiting.terminal(engine, id, WAIT);

        assertThat(done.publicState()).isEqualTo(PublicState.COMPLETED);
        assertThat(done.reclaimCount()).isZero();
        assertThat(done.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.lifecycle()).isEqualTo(AttemptLifecycle.ENDED_SUCCESS);
            assertThat(attempt.leaseEpoch()).isEqualTo(1);
        });
        assertThat(engine.executions().result(id).map(Payload::asUtf8).block(WAIT)).isEqualTo("outlived the ttl");
        assertThat(worker.stats().leasesLost()).isZero();
    }

    @Test
    void aPrefetchedExecutionKeepsItsLeaseWhileItWaitsForASlot() {
        ExecutionId first = create("long", "a", null);
        ExecutionId second = create("long", "b", null);
        WorkerRuntime worker = start(worker().concurrency(1).prefetch(1).leaseTtl(Duration.ofMillis(300))
                .handler("long", ctx -> Mono.delay(Duration.ofSeconds(1)).thenReturn(Payload.utf8("done"))));

        Awaiting.until(() -> worker.stats().waiting() == 1 && worker.stats().running() == 1, WAIT,
                "one execution runs while the other waits");
        for (ExecutionId id : List.of(first, second)) {
            ExecutionSnapshot done = Awaiting.terminal(engine, id, WAIT);
            assertThat(done.publicState()).isEqualTo(PublicState.COMPLETED);
            assertThat(done.reclaimCount()).isZero();
            assertThat(done.attempts()).singleElement()
                    .satisfies(attempt -> assertThat(attempt.leaseEpoch()).isEqualTo(1));
        }
        assertThat(worker.stats().leasesLost()).isZero();
        assertThat(worker.stats().claimed()).isEqualTo(2);
    }

    @Test
    void aLostLeaseCancelsTheHandlerAndReportsNothing() {
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean cancelled = new AtomicBoolean();
        WorkerRuntime worker = start(worker().leaseTtl(Duration.ofMillis(300)).handler("doomed",
                ctx -> Mono.<Payload>never()
                        .doOnSubscribe(s -> started.set(true))
                        .doOnCancel(() -> cancelled.set(true))));
        ExecutionId id = create("doomed", "x", null);
        Awaiting.until(started::get, WAIT, "the handler started");

        engine.executions().cancel(new CancelExecution(id, "operator says stop")).block(WAIT);

        Awaiting.until(cancelled::get, WAIT, "the handler was cancelled");
        Awaiting.until(() -> worker.stats().leasesLost() == 1, WAIT, "the lost lease is counted");
        assertThat(worker.stats().completed()).isZero();
        assertThat(worker.stats().failed()).isZero();
        assertThat(engine.executions().describe(id).block(WAIT).publicState()).isEqualTo(PublicState.CANCELLED);
    }

    @Test
    void shutdownLetsShortHandlersFinishAndFailsLongOnesWithWorkerShutdown() {
        AtomicInteger started = new AtomicInteger();
        AtomicBoolean longCancelled = new AtomicBoolean();
        WorkerRuntime worker = start(worker().concurrency(2).shutdownGrace(Duration.ofMillis(500))
                .handler("short", ctx -> Mono.delay(Duration.ofMillis(200)).thenReturn(Payload.utf8("short done"))
                        .doOnSubscribe(s -> started.incrementAndGet()))
                .handler("long", ctx -> Mono.<Payload>never()
                        .doOnSubscribe(s -> started.incrementAndGet())
                        .doOnCancel(() -> longCancelled.set(true))));
        RetryPolicy retry = RetryPolicy.fixed(1, Duration.ofMillis(50));
        ExecutionId shortId = create("short", "s", retry);
        ExecutionId longId = create("long", "l", retry);
        Awaiting.until(() -> started.get() == 2, WAIT, "both handlers started");

        StepVerifier.create(worker.shutdown()).expectComplete().verify(WAIT);

        assertThat(engine.executions().describe(shortId).block(WAIT).publicState())
                .isEqualTo(PublicState.COMPLETED);
        assertThat(longCancelled).isTrue();
        ExecutionSnapshot interrupted = engine.executions().describe(longId).block(WAIT);
        assertThat(interrupted.publicState()).isIn(PublicState.DELAYED, PublicState.WAITING);
        assertThat(interrupted.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.lifecycle()).isEqualTo(AttemptLifecycle.ENDED_FAILURE);
            assertThat(attempt.errorType()).isEqualTo(WorkerRuntime.WORKER_SHUTDOWN);
        });
        assertThat(worker.stats().inFlight()).isZero();
        Mono.delay(Duration.ofMillis(300)).block();
        assertThat(engine.executions().describe(longId).block(WAIT).attempts())
                .as("a stopped worker claims nothing more").hasSize(1);
        StepVerifier.create(worker.shutdown()).expectComplete().verify(WAIT);
    }

    @Test
    void anExecutionOfAnUnregisteredKindFails() {
        start(worker().handler("known", ctx -> Mono.just(Payload.utf8("known done"))));
        ExecutionId unknown = create("mystery", "x", null);
        ExecutionId known = create("known", "x", null);

        ExecutionSnapshot failed = Awaiting.terminal(engine, unknown, WAIT);

        assertThat(failed.publicState()).isEqualTo(PublicState.FAILED);
        assertThat(failed.lastErrorType()).isEqualTo(WorkerRuntime.UNKNOWN_EXECUTION_KIND);
        assertThat(failed.lastErrorMessage()).contains("mystery");
        assertThat(Awaiting.terminal(engine, known, WAIT).publicState()).isEqualTo(PublicState.COMPLETED);
    }

    @Test
    void aWorkerStartsOnceAndCannotRestartAfterShutdown() {
        WorkerRuntime worker = start(worker().handler("any", ctx -> Mono.empty()));

        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
        worker.shutdown().block(WAIT);
        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> WorkerRuntime.builder(engine).handler("any", ctx -> Mono.empty()).build())
                .as("a lane is required").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> worker().build())
                .as("a handler is required").isInstanceOf(IllegalStateException.class);
    }

    /**
     * A worker that claims and then stops renewing (it crashed) loses the execution: the engine's lease-expiry
     * reconciler marks the lease lapsed, another worker reclaims it under a higher epoch and completes it, and
     * the crashed worker's late completion is rejected.
     */
    @Test
    void workHeldByACrashedWorkerFinishesElsewhere() {
        ExecutionId id = create("crash", "payload", null);
        io.flowfabric.api.ClaimedExecution crashed = engine.leases().claim(io.flowfabric.api.ClaimRequest.of(lane,
                        io.flowfabric.api.WorkerId.of("crashed"), io.flowfabric.api.WorkerInstanceId.of("crashed-1"))
                .withLeaseTtl(Duration.ofMillis(300))).block(WAIT);
        start(worker().handler("crash", ctx -> Mono.just(Payload.utf8("rescued by attempt " + ctx.attemptIndex()))));

        ExecutionSnapshot done = Awaiting.terminal(engine, id, WAIT);
        assertThat(done.publicState()).isEqualTo(PublicState.COMPLETED);
        assertThat(done.attempts()).extracting(AttemptInfo::attemptType)
                .containsExactly(AttemptType.INITIAL, AttemptType.RECLAIM);
        assertThat(done.attempts()).extracting(AttemptInfo::lifecycle)
                .containsExactly(AttemptLifecycle.INTERRUPTED_RECLAIMED, AttemptLifecycle.ENDED_SUCCESS);
        assertThat(done.attempts().get(1).leaseEpoch()).isGreaterThan(crashed.fence().leaseEpoch());
        assertThat(engine.executions().result(id).block(WAIT).asUtf8()).isEqualTo("rescued by attempt 1");
        StepVerifier.create(engine.leases().complete(io.flowfabric.api.CompleteExecution.of(crashed, Payload.EMPTY)))
                .expectError(io.flowfabric.api.error.StaleLeaseException.class).verify(WAIT);
    }

    /** A handler suspends for an approval and runs again, on the same attempt, with the signal. */
    @Test
    void aSuspendedHandlerRunsAgainWithTheSignalsThatResumedIt() {
        engine.signals().seedSigningKey("runtime-key", "00112233445566778899aabbccddeeff").block(WAIT);
        java.util.concurrent.atomic.AtomicReference<io.flowfabric.api.signal.IssuedWaitpoint> gate =
                new java.util.concurrent.atomic.AtomicReference<>();
        start(worker().handler("gated", ctx -> ctx.isResumed()
                ? Mono.just(Payload.utf8("approved by " + ctx.signals().get(0).sourceIdentity()))
                : ctx.suspend(io.flowfabric.api.signal.ResumeCondition.signal("gate", "approved"),
                        waitpoints -> gate.set(waitpoints.get(0)))));
        ExecutionId id = create("gated", "deploy", null);
        Awaiting.until(() -> gate.get() != null, WAIT, "the handler suspended");
        engine.signals().deliver(io.flowfabric.api.signal.DeliverSignal.of(id, gate.get(), "approved", "user", "ada"))
                .block(WAIT);
        ExecutionSnapshot done = Awaiting.terminal(engine, id, WAIT);
        assertThat(done.publicState()).isEqualTo(PublicState.COMPLETED);
        assertThat(done.attempts()).hasSize(1);
        assertThat(engine.executions().result(id).block(WAIT).asUtf8()).isEqualTo("approved by ada");
    }

    /** A builder on the test's lane with short poll intervals. */
    private WorkerRuntimeBuilder worker() {
        return WorkerRuntime.builder(engine).lane(lane).pollInterval(Duration.ofMillis(50))
                .maxPollInterval(Duration.ofMillis(200));
    }

    private WorkerRuntime start(WorkerRuntimeBuilder builder) {
        WorkerRuntime worker = builder.build();
        workers.add(worker);
        worker.start();
        return worker;
    }

    private ExecutionId create(String kind, String payload, RetryPolicy retry) {
        CreateExecution request = CreateExecution.of(kind, lane, Payload.utf8(payload));
        if (retry != null) {
            request = request.withRetry(retry);
        }
        return engine.executions().create(request).block(WAIT).executionId();
    }

    private List<ExecutionId> createAll(String kind, int count, RetryPolicy retry) {
        List<ExecutionId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(create(kind, "item-" + i, retry));
        }
        return ids;
    }
}
