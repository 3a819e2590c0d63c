package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.ExecutionNotActiveException;
import io.flowfabric.api.error.LeaseExpiredException;
import io.flowfabric.api.error.StaleLeaseException;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.TerminalOutcome;
import io.flowfabric.api.state.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Contract: lease-bound operations, fencing, replays, retries and cancellation. */
public abstract class LeaseContractTest extends ContractSupport {

    @Test
    void renewExtendsExpiryAndKeepsEpoch() {
        create("k");
        ClaimedExecution claimed = claim();
        clock.advance(Duration.ofSeconds(10));
        LeaseRenewal renewal = leases().renew(RenewLease.of(claimed)).block(TIMEOUT);
        assertThat(renewal.leaseEpoch()).isEqualTo(claimed.fence().leaseEpoch());
        assertThat(renewal.expiresAt()).isEqualTo(clock.instant().plus(ClaimRequest.DEFAULT_LEASE_TTL));
        assertThat(describe(claimed.executionId()).currentLease().expiresAt()).isEqualTo(renewal.expiresAt());
    }

    @Test
    void lapsedLeaseCannotBeRenewedOrCompleted() {
        ExecutionId id = create("k");
        ClaimedExecution claimed = leases().claim(claimRequest().withLeaseTtl(Duration.ofSeconds(2))).block(TIMEOUT);
        clock.advance(Duration.ofSeconds(2));
        StepVerifier.create(leases().renew(RenewLease.of(claimed))).expectError(LeaseExpiredException.class).verify(TIMEOUT);
        StepVerifier.create(leases().complete(CompleteExecution.of(claimed, Payload.EMPTY)))
                .expectError(LeaseExpiredException.class).verify(TIMEOUT);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.ACTIVE);
    }

    @Test
    void progressOverwritesPercentAndMessage() {
        ExecutionId id = create("k");
        ClaimedExecution claimed = claim();
        leases().progress(new ReportProgress(id, claimed.fence(), 40, "reading")).block(TIMEOUT);
        leases().progress(new ReportProgress(id, claimed.fence(), 80, "writing")).block(TIMEOUT);
        assertThat(describe(id).progressPercent()).isEqualTo(80);
        assertThat(describe(id).progressMessage()).isEqualTo("writing");
    }

    @Test
    void completeStoresResultAndEndsAttempt() {
        ExecutionId id = create("k");
        ClaimedExecution claimed = claim();
        clock.advance(Duration.ofMillis(250));
        Completed done = leases().complete(CompleteExecution.of(claimed, Payload.utf8("42"))).block(TIMEOUT);
        assertThat(done.replay()).isFalse();
        assertThat(done.completedAt()).isEqualTo(clock.instant());
        assertState(id, Transition.COMPLETE);
        ExecutionSnapshot snapshot = describe(id);
        assertThat(snapshot.publicState()).isEqualTo(PublicState.COMPLETED);
        assertThat(snapshot.terminalAt()).isEqualTo(clock.instant());
        assertThat(snapshot.currentLease()).isNull();
        assertThat(snapshot.attempts()).singleElement().satisfies(a -> {
            assertThat(a.lifecycle()).isEqualTo(AttemptLifecycle.ENDED_SUCCESS);
            assertThat(a.endedAt()).isEqualTo(clock.instant());
        });
        assertThat(executions().result(id).block(TIMEOUT).asUtf8()).isEqualTo("42");
    }

    @Test
    void repeatedCompleteIsRecognisedAsReplay() {
        ExecutionId id = create("k");
        ClaimedExecution claimed = claim();
        leases().complete(CompleteExecution.of(claimed, Payload.utf8("first"))).block(TIMEOUT);
        clock.advance(Duration.ofSeconds(1));
        Completed again = leases().complete(CompleteExecution.of(claimed, Payload.utf8("second"))).block(TIMEOUT);
        assertThat(again.replay()).isTrue();
        assertThat(executions().result(id).block(TIMEOUT).asUtf8()).isEqualTo("first");
        assertThat(describe(id).attempts()).hasSize(1);
    }

    @Test
    void staleEpochIsRejectedAndChangesNothing() {
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withRetry(RetryPolicy.fixed(1, Duration.ZERO)));
        ClaimedExecution first = claim();
        leases().fail(FailExecution.of(first, "Boom", "x")).block(TIMEOUT);
        ClaimedExecution second = claim();
        LeaseFence stale = new LeaseFence(second.fence().leaseId(), first.fence().leaseEpoch(),
                second.fence().attemptId());
        StepVerifier.create(leases().complete(new CompleteExecution(id, stale, Payload.EMPTY)))
                .expectError(StaleLeaseException.class).verify(TIMEOUT);
        StepVerifier.create(leases().complete(CompleteExecution.of(first, Payload.EMPTY)))
                .expectError(StaleLeaseException.class).verify(TIMEOUT);
        StepVerifier.create(leases().renew(RenewLease.of(first))).expectError(StaleLeaseException.class).verify(TIMEOUT);
        StepVerifier.create(leases().progress(new ReportProgress(id, first.fence(), 5, "x")))
                .expectError(StaleLeaseException.class).verify(TIMEOUT);
        ExecutionSnapshot snapshot = describe(id);
        assertThat(snapshot.publicState()).isEqualTo(PublicState.ACTIVE);
        assertThat(snapshot.currentLease().leaseEpoch()).isEqualTo(2);
        assertThat(snapshot.progressPercent()).isNull();
    }

    @Test
    void exponentialBackoffScheduleThenTerminal() {
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withRetry(RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofSeconds(60))));
        long[] expectedDelays = {1000, 2000, 4000};
        for (int attempt = 0; attempt < 3; attempt++) {
            ClaimedExecution claimed = claim();
            assertThat(claimed.attemptIndex()).isEqualTo(attempt);
            Instant failedAt = clock.instant();
            FailOutcome outcome = leases().fail(FailExecution.of(claimed, "Boom", "attempt " + attempt)).block(TIMEOUT);
            assertThat(outcome).isEqualTo(new FailOutcome.RetryScheduled(
                    failedAt.plusMillis(expectedDelays[attempt]), attempt + 1));
            assertState(id, Transition.FAIL_RETRY);
            assertThat(describe(id).publicState()).isEqualTo(PublicState.DELAYED);
            clock.advance(Duration.ofMillis(expectedDelays[attempt]));
        }
        ClaimedExecution last = claim();
        FailOutcome terminal = leases().fail(FailExecution.of(last, "Boom", "last")).block(TIMEOUT);
        assertThat(terminal).isEqualTo(new FailOutcome.TerminalFailed(id));
        assertState(id, Transition.FAIL_TERMINAL);
        ExecutionSnapshot snapshot = describe(id);
        assertThat(snapshot.retryCount()).isEqualTo(3);
        assertThat(snapshot.totalAttemptCount()).isEqualTo(4);
        assertThat(snapshot.lastErrorType()).isEqualTo("Boom");
        assertThat(snapshot.lastErrorMessage()).isEqualTo("last");
        assertThat(snapshot.attempts()).allSatisfy(a -> assertThat(a.lifecycle()).isEqualTo(AttemptLifecycle.ENDED_FAILURE));
    }

    @Test
    void fixedBackoffIsCappedByPolicy() {
        create(CreateExecution.of("k", lane, Payload.EMPTY).withRetry(RetryPolicy.fixed(5, Duration.ofMillis(1500))));
        ClaimedExecution claimed = claim();
        FailOutcome outcome = leases().fail(FailExecution.of(claimed, "E", "m")).block(TIMEOUT);
        assertThat(((FailOutcome.RetryScheduled) outcome).delayUntil()).isEqualTo(clock.instant().plusMillis(1500));
    }

    @Test
    void jitterIsReallyApplied() {
        RetryPolicy policy = RetryPolicy.fixed(1, Duration.ofSeconds(10)).withJitter(0.5);
        Set<Instant> delays = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            create(CreateExecution.of("k", lane, Payload.EMPTY).withRetry(policy));
            FailOutcome outcome = leases().fail(FailExecution.of(claim(), "E", "m")).block(TIMEOUT);
            Instant until = ((FailOutcome.RetryScheduled) outcome).delayUntil();
            assertThat(until).isBetween(clock.instant().plusSeconds(5), clock.instant().plusSeconds(10));
            delays.add(until);
        }
        assertThat(delays).hasSizeGreaterThan(1);
    }

    @Test
    void failWithoutRetryPolicyIsTerminalAndReplayIsIdempotent() {
        ExecutionId id = create("k");
        ClaimedExecution claimed = claim();
        assertThat(leases().fail(FailExecution.of(claimed, "E", "m")).block(TIMEOUT))
                .isEqualTo(new FailOutcome.TerminalFailed(id));
        assertThat(leases().fail(FailExecution.of(claimed, "E", "m")).block(TIMEOUT))
                .isEqualTo(new FailOutcome.TerminalFailed(id));
        assertThat(describe(id).attempts()).hasSize(1);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.FAILED);
    }

    @Test
    void repeatedFailAfterRetryScheduledReturnsSameSchedule() {
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withRetry(RetryPolicy.fixed(3, Duration.ofSeconds(3))));
        ClaimedExecution claimed = claim();
        FailOutcome first = leases().fail(FailExecution.of(claimed, "E", "m")).block(TIMEOUT);
        clock.advance(Duration.ofSeconds(1));
        FailOutcome again = leases().fail(FailExecution.of(claimed, "E", "m")).block(TIMEOUT);
        assertThat(again).isEqualTo(first);
        assertThat(describe(id).retryCount()).isEqualTo(1);
    }

    @Test
    void completeAfterFailIsNotActive() {
        create("k");
        ClaimedExecution claimed = claim();
        leases().fail(FailExecution.of(claimed, "E", "m")).block(TIMEOUT);
        StepVerifier.create(leases().complete(CompleteExecution.of(claimed, Payload.EMPTY)))
                .expectErrorSatisfies(e -> assertThat(((ExecutionNotActiveException) e).outcome())
                        .isEqualTo(TerminalOutcome.FAILED))
                .verify(TIMEOUT);
    }

    @Test
    void workerCancelEndsCancelledAndRepeatIsNoOp() {
        ExecutionId id = create("k");
        ClaimedExecution claimed = claim();
        leases().cancel(new CancelLeased(id, claimed.fence(), "not needed")).block(TIMEOUT);
        assertState(id, Transition.WORKER_CANCEL);
        leases().cancel(new CancelLeased(id, claimed.fence(), "not needed")).block(TIMEOUT);
        assertThat(describe(id).cancellationReason()).isEqualTo("not needed");
        assertThat(describe(id).attempts()).singleElement()
                .satisfies(a -> assertThat(a.lifecycle()).isEqualTo(AttemptLifecycle.ENDED_CANCELLED));
    }

    @Test
    void operatorCancelFromRunnableActiveAndDelayed() {
        ExecutionId runnable = create("k");
        assertThat(executions().cancel(new CancelExecution(runnable, "stop")).block(TIMEOUT).alreadyCancelled()).isFalse();
        assertState(runnable, Transition.OPERATOR_CANCEL);

        ExecutionId active = create("k");
        ClaimedExecution claimed = claim();
        executions().cancel(new CancelExecution(active, "stop")).block(TIMEOUT);
        assertState(active, Transition.OPERATOR_CANCEL);
        StepVerifier.create(leases().complete(CompleteExecution.of(claimed, Payload.EMPTY)))
                .expectError(ExecutionNotActiveException.class).verify(TIMEOUT);
        assertThat(describe(active).attempts()).singleElement()
                .satisfies(a -> assertThat(a.lifecycle()).isEqualTo(AttemptLifecycle.ENDED_CANCELLED));

        ExecutionId delayed = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withDelayUntil(clock.instant().plusSeconds(100)));
        executions().cancel(new CancelExecution(delayed, null)).block(TIMEOUT);
        assertThat(describe(delayed).publicState()).isEqualTo(PublicState.CANCELLED);
        assertThat(executions().cancel(new CancelExecution(delayed, null)).block(TIMEOUT).alreadyCancelled()).isTrue();
    }

    @Test
    void operatorCancelOfCompletedExecutionIsConflict() {
        ExecutionId id = create("k");
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        StepVerifier.create(executions().cancel(new CancelExecution(id, "late")))
                .expectError(ConflictException.class).verify(TIMEOUT);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.COMPLETED);
    }

    @Test
    void delayReleasesLeaseAndOldFenceCannotComplete() {
        ExecutionId id = create("k");
        ClaimedExecution claimed = claim();
        leases().delay(new DelayExecution(id, claimed.fence(), clock.instant().plusSeconds(5))).block(TIMEOUT);
        leases().delay(new DelayExecution(id, claimed.fence(), clock.instant().plusSeconds(5))).block(TIMEOUT);
        ExecutionSnapshot snapshot = describe(id);
        assertThat(snapshot.publicState()).isEqualTo(PublicState.DELAYED);
        assertThat(snapshot.currentLease()).isNull();
        StepVerifier.create(leases().complete(CompleteExecution.of(claimed, Payload.EMPTY)))
                .expectError(ExecutionNotActiveException.class).verify(TIMEOUT);
    }

    @Test
    void leaseBoundCallsOnUnknownExecutionsAreNotFound() {
        ExecutionId missing = ExecutionId.solo(lane);
        LeaseFence fence = new LeaseFence(LeaseId.random(), 1, AttemptId.random());
        StepVerifier.create(leases().complete(new CompleteExecution(missing, fence, Payload.EMPTY)))
                .expectError(io.flowfabric.api.error.NotFoundException.class).verify(TIMEOUT);
        StepVerifier.create(leases().renew(new RenewLease(missing, fence, null)))
                .expectError(io.flowfabric.api.error.NotFoundException.class).verify(TIMEOUT);
        StepVerifier.create(leases().fail(new FailExecution(missing, fence, "E", "m")))
                .expectError(io.flowfabric.api.error.NotFoundException.class).verify(TIMEOUT);
    }

    @Test
    void badLeaseInputIsRejectedAndChangesNothing() {
        ExecutionId id = create("k");
        ClaimedExecution claimed = claim();
        StepVerifier.create(leases().delay(new DelayExecution(id, claimed.fence(), clock.instant().plus(Duration.ofDays(400)))))
                .expectError(io.flowfabric.api.error.ValidationException.class).verify(TIMEOUT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ReportProgress(id, claimed.fence(), 101, "x"))
                .isInstanceOf(io.flowfabric.api.error.ValidationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RenewLease(id, claimed.fence(), Duration.ofMillis(1)))
                .isInstanceOf(io.flowfabric.api.error.ValidationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FailExecution(id, claimed.fence(), " ", "m"))
                .isInstanceOf(io.flowfabric.api.error.ValidationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClaimRequest.of(lane, WorkerId.of("w"), WorkerInstanceId.of("i"))
                .withLeaseTtl(Duration.ofDays(2))).isInstanceOf(io.flowfabric.api.error.ValidationException.class);
        ExecutionSnapshot snapshot = describe(id);
        assertThat(snapshot.publicState()).isEqualTo(PublicState.ACTIVE);
        assertThat(snapshot.currentLease().leaseEpoch()).isEqualTo(claimed.fence().leaseEpoch());
        assertThat(leases().complete(CompleteExecution.of(claimed, Payload.utf8("ok"))).block(TIMEOUT).replay()).isFalse();
    }
}
