package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.StaleLeaseException;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.feed.FeedRequest;
import io.flowfabric.api.feed.SignalEvent;
import io.flowfabric.api.signal.CreateWaitpoint;
import io.flowfabric.api.signal.DeliverSignal;
import io.flowfabric.api.signal.ExecutionNotSuspendedException;
import io.flowfabric.api.signal.IssuedWaitpoint;
import io.flowfabric.api.signal.ListOpenWaitpoints;
import io.flowfabric.api.signal.ReceivedSignal;
import io.flowfabric.api.signal.ResumeCondition;
import io.flowfabric.api.signal.SignalDelivery;
import io.flowfabric.api.signal.SuspendExecution;
import io.flowfabric.api.signal.SuspendOutcome;
import io.flowfabric.api.signal.TargetNotSignalableException;
import io.flowfabric.api.signal.WaitpointClosedException;
import io.flowfabric.api.signal.WaitpointInfo;
import io.flowfabric.api.signal.WaitpointToken;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.Transition;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Contract: signing keys, waitpoints, suspension, signal delivery and resume. */
public abstract class SignalContractTest extends ContractSupport {
    private static final String SECRET_1 = "000102030405060708090a0b0c0d0e0f";
    private static final String SECRET_2 = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

    @BeforeAll
    void seedKey() {
        assertThat(engine.signals().seedSigningKey("k1", SECRET_1).block(TIMEOUT)).isTrue();
    }

    private SuspendOutcome.Suspended suspend(ClaimedExecution held, ResumeCondition condition) {
        return (SuspendOutcome.Suspended) engine.signals()
                .suspend(SuspendExecution.until(held.executionId(), held.fence(), condition)).block(TIMEOUT);
    }

    private SignalDelivery deliver(ExecutionId id, IssuedWaitpoint waitpoint, String name, String who) {
        return engine.signals().deliver(DeliverSignal.of(id, waitpoint, name, "user", who)).block(TIMEOUT);
    }

    /** The first page of the execution's open waitpoints (every test here has fewer than a page). */
    private List<WaitpointInfo> openWaitpoints(ExecutionId id) {
        Page<WaitpointInfo> page = engine.signals().listOpenWaitpoints(ListOpenWaitpoints.of(id)).block(TIMEOUT);
        assertThat(page.nextCursor()).isNull();
        return page.items();
    }

    private static <T> void expectValidation(reactor.core.publisher.Mono<T> mono, ValidationException.Kind kind) {
        StepVerifier.create(mono).expectErrorSatisfies(e -> assertThat(((ValidationException) e).kind()).isEqualTo(kind))
                .verify(TIMEOUT);
    }

    @Test
    void seedingIsIdempotentAndConflictsOnAnotherSecret() {
        assertThat(engine.signals().seedSigningKey("k1", SECRET_1).block(TIMEOUT)).isFalse();
        StepVerifier.create(engine.signals().seedSigningKey("k1", SECRET_2)).expectError(ConflictException.class)
                .verify(TIMEOUT);
        StepVerifier.create(engine.signals().seedSigningKey("bad:kid", SECRET_1)).expectError(ValidationException.class)
                .verify(TIMEOUT);
        StepVerifier.create(engine.signals().seedSigningKey("k9", "abc")).expectError(ValidationException.class)
                .verify(TIMEOUT);
    }

    @Test
    void aMatchingSignalResumesTheSameAttemptUnderTheNextEpoch() {
        ExecutionId id = create("approval");
        ClaimedExecution held = claim();
        SuspendOutcome.Suspended suspended = suspend(held, ResumeCondition.signal("gate", "approved"));
        assertState(id, Transition.SUSPEND);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.SUSPENDED);
        IssuedWaitpoint gate = suspended.waitpoints().get(0);
        assertThat(gate.waitpointKey()).isEqualTo("gate");
        StepVerifier.create(leases().complete(CompleteExecution.of(held, Payload.EMPTY)))
                .expectError(io.flowfabric.api.error.ExecutionNotActiveException.class).verify(TIMEOUT);

        assertThat(deliver(id, gate, "rejected", "ada").effect()).isEqualTo(SignalEvent.Effect.BUFFERED);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.SUSPENDED);
        clock.advance(Duration.ofMillis(1));
        assertThat(deliver(id, gate, "approved", "ada").effect()).isEqualTo(SignalEvent.Effect.SATISFIED);
        assertState(id, Transition.RESUME);
        StepVerifier.create(engine.signals().deliver(DeliverSignal.of(id, gate, "approved", "user", "bob")))
                .expectError(WaitpointClosedException.class).verify(TIMEOUT);

        ClaimedExecution resumed = claim();
        assertThat(resumed.attemptIndex()).isEqualTo(held.attemptIndex());
        assertThat(resumed.fence().attemptId()).isEqualTo(held.fence().attemptId());
        assertThat(resumed.fence().leaseEpoch()).isEqualTo(held.fence().leaseEpoch() + 1);
        assertThat(resumed.resumedAttempt()).isTrue();
        StepVerifier.create(leases().renew(RenewLease.of(held))).expectError(StaleLeaseException.class).verify(TIMEOUT);
        assertThat(engine.signals().resumeSignals(id).block(TIMEOUT)).extracting(ReceivedSignal::name)
                .containsExactly("rejected", "approved");
        leases().complete(CompleteExecution.of(resumed, Payload.utf8("deployed"))).block(TIMEOUT);
    }

    @Test
    void resumeDelayKeepsTheExecutionDelayed() {
        ExecutionId id = create("k");
        ClaimedExecution held = claim();
        SuspendOutcome.Suspended suspended = (SuspendOutcome.Suspended) engine.signals().suspend(
                SuspendExecution.until(id, held.fence(), ResumeCondition.signal("cb", null))
                        .withResumeDelay(Duration.ofSeconds(30))).block(TIMEOUT);
        deliver(id, suspended.waitpoints().get(0), "done", "svc");
        assertState(id, Transition.RESUME_DELAYED);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.DELAYED);
        StepVerifier.create(leases().claim(claimRequest())).verifyComplete();
        clock.advance(Duration.ofSeconds(30));
        assertThat(claim().executionId()).isEqualTo(id);
    }

    @Test
    void distinctSourcesNeedDifferentApprovers() {
        ExecutionId id = create("k");
        ResumeCondition two = new ResumeCondition.Count(2, ResumeCondition.CountKind.DISTINCT_SOURCES,
                List.of("gate"), "approved");
        IssuedWaitpoint gate = suspend(claim(), two).waitpoints().get(0);
        deliver(id, gate, "approved", "ada");
        deliver(id, gate, "approved", "ada");
        assertThat(describe(id).publicState()).isEqualTo(PublicState.SUSPENDED);
        assertThat(deliver(id, gate, "approved", "bob").effect()).isEqualTo(SignalEvent.Effect.SATISFIED);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.WAITING);
    }

    @Test
    void allOfNeedsEveryWaitpoint() {
        ExecutionId id = create("k");
        SuspendOutcome.Suspended suspended = suspend(claim(), new ResumeCondition.AllOf(List.of(
                ResumeCondition.signal("build", "passed"), ResumeCondition.signal("review", "approved"))));
        assertThat(suspended.waitpoints()).extracting(IssuedWaitpoint::waitpointKey)
                .containsExactlyInAnyOrder("build", "review");
        IssuedWaitpoint build = suspended.waitpoints().stream().filter(w -> w.waitpointKey().equals("build"))
                .findFirst().orElseThrow();
        IssuedWaitpoint review = suspended.waitpoints().stream().filter(w -> w.waitpointKey().equals("review"))
                .findFirst().orElseThrow();
        assertThat(deliver(id, build, "passed", "ci").effect()).isEqualTo(SignalEvent.Effect.BUFFERED);
        assertThat(deliver(id, review, "approved", "ada").effect()).isEqualTo(SignalEvent.Effect.SATISFIED);
    }

    @Test
    void pendingWaitpointBuffersSignalsBeforeSuspend() {
        ExecutionId id = create("k");
        ClaimedExecution held = claim();
        IssuedWaitpoint pending = engine.signals().createWaitpoint(new CreateWaitpoint(id, held.fence(), "cb", null))
                .block(TIMEOUT);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.ACTIVE);
        assertThat(openWaitpoints(id)).singleElement().satisfies(w -> {
            assertThat(w.state()).isEqualTo("pending");
            assertThat(w.tokenKid()).isEqualTo(pending.token().kid());
            assertThat(w.tokenFingerprint()).isEqualTo(pending.token().fingerprint());
            assertThat(w.toString()).doesNotContain(pending.token().digestHex());
        });
        assertThat(deliver(id, pending, "done", "svc").effect()).isEqualTo(SignalEvent.Effect.BUFFERED);
        SuspendOutcome outcome = engine.signals().suspend(SuspendExecution.until(id, held.fence(),
                ResumeCondition.signal("cb", "done"))).block(TIMEOUT);
        assertThat(outcome).isInstanceOf(SuspendOutcome.AlreadySatisfied.class);
        assertThat(((SuspendOutcome.AlreadySatisfied) outcome).signals()).extracting(ReceivedSignal::name)
                .containsExactly("done");
        assertThat(describe(id).publicState()).isEqualTo(PublicState.ACTIVE);
        leases().renew(RenewLease.of(held)).block(TIMEOUT);
    }

    @Test
    void suspendIsIdempotentByKey() {
        ExecutionId id = create("k");
        ClaimedExecution held = claim();
        SuspendExecution request = SuspendExecution.until(id, held.fence(), ResumeCondition.signal("gate", null))
                .withIdempotencyKey("suspend-1");
        SuspendOutcome first = engine.signals().suspend(request).block(TIMEOUT);
        SuspendOutcome again = engine.signals().suspend(request).block(TIMEOUT);
        assertThat(again).isEqualTo(first);
        assertThat(openWaitpoints(id)).hasSize(1);
    }

    @Test
    void tokensAreVerifiedBeforeAnythingElse() {
        ExecutionId id = create("k");
        IssuedWaitpoint gate = suspend(claim(), ResumeCondition.signal("gate", null)).waitpoints().get(0);
        DeliverSignal good = DeliverSignal.of(id, gate, "x", "user", "ada");
        String digest = gate.token().digestHex();
        String tampered = "k1:" + (digest.charAt(0) == 'a' ? 'b' : 'a') + digest.substring(1);
        expectValidation(engine.signals().deliver(good.withToken(tampered)), ValidationException.Kind.INVALID_TOKEN);
        expectValidation(engine.signals().deliver(good.withToken(null)), ValidationException.Kind.INVALID_INPUT);
        expectValidation(engine.signals().deliver(good.withToken("nope:" + digest)),
                ValidationException.Kind.TOKEN_EXPIRED);
        IssuedWaitpoint forged = new IssuedWaitpoint(UUID.randomUUID(), "gate", gate.token(), null);
        expectValidation(engine.signals().deliver(DeliverSignal.of(id, forged, "x", "user", "ada")),
                ValidationException.Kind.INVALID_TOKEN);
        expectValidation(engine.signals().deliver(DeliverSignal.of(ExecutionId.solo(lane), gate, "x", "user", "ada")),
                ValidationException.Kind.INVALID_TOKEN);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.SUSPENDED);
        assertThat(engine.signals().resumeSignals(id).block(TIMEOUT)).isEmpty();
    }

    @Test
    void rotationKeepsTheOldKeyValidUntilTheGraceEnds() {
        ExecutionId id = create("k");
        IssuedWaitpoint old = suspend(claim(), ResumeCondition.signal("gate", "go")).waitpoints().get(0);
        ExecutionId other = create("k");
        IssuedWaitpoint older = suspend(claim(), ResumeCondition.signal("gate", "go")).waitpoints().get(0);
        engine.signals().rotateSigningKey("k2-" + lane.value(), SECRET_2, Duration.ofHours(1)).block(TIMEOUT);
        StepVerifier.create(engine.signals().rotateSigningKey("k1", SECRET_2, Duration.ZERO))
                .expectError(ConflictException.class).verify(TIMEOUT);
        assertThat(deliver(id, old, "go", "ada").effect()).isEqualTo(SignalEvent.Effect.SATISFIED);
        ExecutionId fresh = create(CreateExecution.of("k", lane, Payload.EMPTY).withPriority(100));
        ClaimedExecution freshClaim = claim();
        assertThat(freshClaim.executionId()).isEqualTo(fresh);
        IssuedWaitpoint renewed = suspend(freshClaim, ResumeCondition.signal("gate", "go")).waitpoints().get(0);
        assertThat(renewed.token().kid()).isEqualTo("k2-" + lane.value());
        clock.advance(Duration.ofHours(1));
        expectValidation(engine.signals().deliver(DeliverSignal.of(other, older, "go", "user", "ada")),
                ValidationException.Kind.TOKEN_EXPIRED);
        assertThat(deliver(fresh, renewed, "go", "ada").effect()).isEqualTo(SignalEvent.Effect.SATISFIED);
    }

    @Test
    void repeatedIdempotencyKeyIsDeduplicated() {
        ExecutionId id = create("k");
        IssuedWaitpoint gate = suspend(claim(), new ResumeCondition.Count(3,
                ResumeCondition.CountKind.DISTINCT_SIGNALS, List.of("gate"), null)).waitpoints().get(0);
        DeliverSignal request = DeliverSignal.of(id, gate, "ping", "user", "ada").withIdempotencyKey("ping-1");
        SignalDelivery first = engine.signals().deliver(request).block(TIMEOUT);
        SignalDelivery again = engine.signals().deliver(request).block(TIMEOUT);
        assertThat(again).isEqualTo(new SignalDelivery(first.signalId(), SignalEvent.Effect.DEDUPLICATED));
        assertThat(engine.signals().resumeSignals(id).block(TIMEOUT)).hasSize(1);
        List<SignalEvent> events = engine.feeds().signalDeliveries(FeedRequest.fromBeginning())
                .filter(e -> e.executionId().equals(id)).take(2).collectList().block(TIMEOUT);
        assertThat(events).extracting(SignalEvent::effect)
                .containsExactly(SignalEvent.Effect.BUFFERED, SignalEvent.Effect.DEDUPLICATED);
        assertThat(events.get(0).signalId()).isEqualTo(first.signalId().toString());
    }

    @Test
    void unknownWaitpointAndEndedExecutionAreTypedErrors() {
        ExecutionId id = create("k");
        ClaimedExecution held = claim();
        IssuedWaitpoint pending = engine.signals().createWaitpoint(new CreateWaitpoint(id, held.fence(), "cb", null))
                .block(TIMEOUT);
        WaitpointToken token = pending.token();
        leases().complete(CompleteExecution.of(held, Payload.EMPTY)).block(TIMEOUT);
        StepVerifier.create(engine.signals().deliver(DeliverSignal.of(id, pending, "x", "user", "ada")))
                .expectError(TargetNotSignalableException.class).verify(TIMEOUT);
        StepVerifier.create(engine.signals().resume(id)).expectError(ExecutionNotSuspendedException.class)
                .verify(TIMEOUT);
        assertThat(token.toString()).doesNotContain(token.digestHex());
        StepVerifier.create(engine.signals().resumeSignals(ExecutionId.solo(lane)))
                .expectError(NotFoundException.class).verify(TIMEOUT);
    }

    @Test
    void operatorResumeClosesTheSuspension() {
        ExecutionId id = create("k");
        IssuedWaitpoint gate = suspend(claim(), ResumeCondition.signal("gate", null)).waitpoints().get(0);
        engine.signals().resume(id).block(TIMEOUT);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.WAITING);
        assertThat(openWaitpoints(id)).isEmpty();
        StepVerifier.create(engine.signals().deliver(DeliverSignal.of(id, gate, "x", "user", "ada")))
                .expectError(WaitpointClosedException.class).verify(TIMEOUT);
    }

    @Test
    void signalsPerExecutionAreCapped() {
        ExecutionId id = create("k");
        IssuedWaitpoint gate = suspend(claim(), ResumeCondition.signal("gate", "never")).waitpoints().get(0);
        reactor.core.publisher.Flux.range(0, io.flowfabric.api.signal.Signals.MAX_SIGNALS_PER_EXECUTION)
                .concatMap(i -> engine.signals().deliver(DeliverSignal.of(id, gate, "noise", "user", "u" + i)), 32)
                .blockLast(Duration.ofMinutes(5));
        expectValidation(engine.signals().deliver(DeliverSignal.of(id, gate, "never", "user", "late")),
                ValidationException.Kind.SIGNAL_LIMIT_EXCEEDED);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.SUSPENDED);
    }

    private ExecutionId suspendWithTimeout(io.flowfabric.api.signal.TimeoutBehavior behavior) {
        ExecutionId id = create("k");
        ClaimedExecution held = claim();
        engine.signals().suspend(SuspendExecution.until(id, held.fence(), ResumeCondition.signal("gate", "go"))
                .withTimeout(Duration.ofMinutes(10), behavior)).block(TIMEOUT);
        return id;
    }

    @Test
    void suspensionTimeoutsApplyTheirBehaviour() {
        ExecutionId fail = suspendWithTimeout(io.flowfabric.api.signal.TimeoutBehavior.FAIL);
        ExecutionId cancel = suspendWithTimeout(io.flowfabric.api.signal.TimeoutBehavior.CANCEL);
        ExecutionId expire = suspendWithTimeout(io.flowfabric.api.signal.TimeoutBehavior.EXPIRE);
        ExecutionId escalate = suspendWithTimeout(io.flowfabric.api.signal.TimeoutBehavior.ESCALATE);
        ExecutionId resume = suspendWithTimeout(io.flowfabric.api.signal.TimeoutBehavior.AUTO_RESUME);
        assertThat(engine.reconcilers().suspensionTimeout().runOnce().block(TIMEOUT).actedOn()).isZero();
        clock.advance(Duration.ofMinutes(10));
        assertThat(engine.reconcilers().suspensionTimeout().runOnce().block(TIMEOUT).actedOn())
                .isGreaterThanOrEqualTo(5);
        assertState(fail, Transition.SUSPENSION_TIMEOUT_FAIL);
        assertState(cancel, Transition.SUSPENSION_TIMEOUT_CANCEL);
        assertState(expire, Transition.SUSPENSION_TIMEOUT_EXPIRE);
        assertState(escalate, Transition.SUSPENSION_ESCALATE);
        assertThat(describe(escalate).publicState()).isEqualTo(PublicState.SUSPENDED);
        assertState(resume, Transition.RESUME);
        assertThat(engine.signals().resumeSignals(resume).block(TIMEOUT)).extracting(ReceivedSignal::name)
                .containsExactly("timeout");
        assertThat(engine.reconcilers().suspensionTimeout().runOnce().block(TIMEOUT).actedOn()).isZero();
        engine.signals().resume(escalate).block(TIMEOUT);
        assertThat(describe(escalate).publicState()).isEqualTo(PublicState.WAITING);
    }

    @Test
    void unusedPendingWaitpointsCloseWhenTheyExpire() {
        ExecutionId id = create("k");
        ClaimedExecution held = claim();
        IssuedWaitpoint pending = engine.signals().createWaitpoint(new CreateWaitpoint(id, held.fence(), "cb",
                Duration.ofMinutes(5))).block(TIMEOUT);
        clock.advance(Duration.ofMinutes(5));
        assertThat(engine.reconcilers().waitpointExpiry().runOnce().block(TIMEOUT).actedOn()).isGreaterThanOrEqualTo(1);
        assertThat(openWaitpoints(id)).isEmpty();
        StepVerifier.create(engine.signals().deliver(DeliverSignal.of(id, pending, "x", "user", "ada")))
                .expectError(WaitpointClosedException.class).verify(TIMEOUT);
    }

    @Test
    void cancellingASuspendedExecutionClosesItsWaitpoints() {
        ExecutionId id = create("k");
        IssuedWaitpoint gate = suspend(claim(), ResumeCondition.signal("gate", null)).waitpoints().get(0);
        executions().cancel(new CancelExecution(id, "no longer needed")).block(TIMEOUT);
        assertThat(openWaitpoints(id)).isEmpty();
        StepVerifier.create(engine.signals().deliver(DeliverSignal.of(id, gate, "x", "user", "ada")))
                .expectError(TargetNotSignalableException.class).verify(TIMEOUT);
    }

    @Test
    void trustedApprovalsAreLaneCheckedAndDeduplicatedPerApprover() {
        ExecutionId id = create("k");
        suspend(claim(), new ResumeCondition.AllOf(List.of(
                new ResumeCondition.Count(2, ResumeCondition.CountKind.DISTINCT_SOURCES, List.of("gate"), "approved"),
                ResumeCondition.signal("qa", "passed"))));
        var approvals = engine.signals();
        StepVerifier.create(approvals.deliverApproval(new io.flowfabric.api.signal.DeliverApproval(id,
                        LaneId.of("elsewhere"), "gate", "approved", "ada")))
                .expectError(ConflictException.class).verify(TIMEOUT);
        SignalDelivery first = approvals.deliverApproval(new io.flowfabric.api.signal.DeliverApproval(id, lane, "gate",
                "approved", "ada")).block(TIMEOUT);
        SignalDelivery repeat = approvals.deliverApproval(new io.flowfabric.api.signal.DeliverApproval(id, lane, "gate",
                "approved", "ada")).block(TIMEOUT);
        assertThat(repeat).isEqualTo(new SignalDelivery(first.signalId(), SignalEvent.Effect.DEDUPLICATED));
        clock.advance(Duration.ofMillis(1));
        approvals.deliverApproval(new io.flowfabric.api.signal.DeliverApproval(id, lane, "gate", "approved", "bob"))
                .block(TIMEOUT);
        io.flowfabric.api.signal.SuspensionInfo info = approvals.describeSuspension(id).block(TIMEOUT);
        assertThat(info.membersSatisfied()).containsExactly(true, false);
        assertThat(info.waitpoints()).extracting(WaitpointInfo::waitpointKey)
                .containsExactlyInAnyOrder("gate", "qa");
        assertThat(info.signals()).extracting(ReceivedSignal::sourceIdentity).containsExactly("ada", "bob");
        assertThat(approvals.deliverApproval(new io.flowfabric.api.signal.DeliverApproval(id, lane, "qa", "passed",
                "ci")).block(TIMEOUT).effect()).isEqualTo(SignalEvent.Effect.SATISFIED);
        StepVerifier.create(approvals.describeSuspension(id)).verifyComplete();
    }
}
