package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.ExecutionNotActiveException;
import io.flowfabric.api.error.LeaseExpiredException;
import io.flowfabric.api.error.LeaseRevokedException;
import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.ReclaimCapExceededException;
import io.flowfabric.api.error.StaleLeaseException;
import io.flowfabric.api.feed.CompletionEvent;
import io.flowfabric.api.feed.FeedRequest;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.reconcile.ReconcileReport;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.TerminalOutcome;
import io.flowfabric.api.state.Transition;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Contract: lease expiry, revoke, reclaim and the time-based reconcilers, driven by {@code runOnce()}. */
public abstract class ReconcilerContractTest extends ContractSupport {
    private static final Duration TTL = Duration.ofSeconds(5);

    private ClaimedExecution claimWithTtl() {
        return leases().claim(claimRequest().withLeaseTtl(TTL)).block(TIMEOUT);
    }

    private ReconcileReport run(io.flowfabric.api.reconcile.Reconciler reconciler) {
        return reconciler.runOnce().block(TIMEOUT);
    }

    @Test
    void lapsedLeaseBecomesReclaimableAndItsHolderIsFencedOut() {
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.EMPTY).withTag("test.lane", lane.value()));
        ClaimedExecution held = claimWithTtl();
        run(engine.reconcilers().leaseExpiry());
        assertState(id, Transition.CLAIM_NEW_ATTEMPT);
        clock.advance(TTL);
        assertThat(run(engine.reconcilers().leaseExpiry()).actedOn()).isGreaterThanOrEqualTo(1);
        assertState(id, Transition.LEASE_EXPIRE);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.ACTIVE);
        run(engine.reconcilers().leaseExpiry());
        assertThat(engine.feeds().leaseHistory(FeedRequest.fromBeginning().withTag("test.lane", lane.value()))
                .take(Duration.ofSeconds(1)).filter(e -> e.type() == LeaseEvent.Type.EXPIRED).count().block(TIMEOUT))
                .as("one expiry event however often the reconciler runs").isEqualTo(1);
        StepVerifier.create(leases().renew(RenewLease.of(held))).expectError(LeaseExpiredException.class).verify(TIMEOUT);
        StepVerifier.create(leases().complete(CompleteExecution.of(held, Payload.EMPTY)))
                .expectError(LeaseExpiredException.class).verify(TIMEOUT);
        LeaseEvent expired = engine.feeds().leaseHistory(FeedRequest.fromBeginning().withTag("test.lane", lane.value()))
                .filter(e -> e.type() == LeaseEvent.Type.EXPIRED).blockFirst(TIMEOUT);
        assertThat(expired.leaseEpoch()).isEqualTo(held.fence().leaseEpoch());
    }

    @Test
    void reclaimRunsANewAttemptWithTheNextEpoch() {
        ExecutionId id = create("k");
        ClaimedExecution held = claimWithTtl();
        clock.advance(TTL);
        run(engine.reconcilers().leaseExpiry());
        ClaimedExecution reclaimed = leases().reclaim(new ReclaimExecution(id,
                ClaimRequest.of(lane, WorkerId.of("worker-a"), WorkerInstanceId.of("instance-2")))).block(TIMEOUT);
        assertThat(reclaimed.attemptIndex()).isEqualTo(1);
        assertThat(reclaimed.attemptType()).isEqualTo(AttemptType.RECLAIM);
        assertThat(reclaimed.fence().leaseEpoch()).isEqualTo(held.fence().leaseEpoch() + 1);
        assertState(id, Transition.RECLAIM);
        ExecutionSnapshot snapshot = describe(id);
        assertThat(snapshot.reclaimCount()).isEqualTo(1);
        assertThat(snapshot.attempts()).extracting(AttemptInfo::lifecycle)
                .containsExactly(AttemptLifecycle.INTERRUPTED_RECLAIMED, AttemptLifecycle.STARTED);
        StepVerifier.create(leases().complete(CompleteExecution.of(held, Payload.EMPTY)))
                .expectError(StaleLeaseException.class).verify(TIMEOUT);
        leases().complete(CompleteExecution.of(reclaimed, Payload.utf8("done"))).block(TIMEOUT);
        assertThat(executions().result(id).block(TIMEOUT).asUtf8()).isEqualTo("done");
    }

    @Test
    void onlyLapsedOrRevokedLeasesAreReclaimable() {
        ExecutionId id = create("k");
        claimWithTtl();
        StepVerifier.create(leases().reclaim(new ReclaimExecution(id, claimRequest())))
                .expectError(ConflictException.class).verify(TIMEOUT);
        assertThat(leases().reclaimBatch(claimRequest(), 10).collectList().block(TIMEOUT)).isEmpty();
        clock.advance(TTL);
        run(engine.reconcilers().leaseExpiry());
        assertThat(leases().reclaimBatch(claimRequest(), 10).collectList().block(TIMEOUT))
                .extracting(ClaimedExecution::executionId).containsExactly(id);
    }

    @Test
    void reclaimPastTheCapFailsTheExecution() {
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withPolicy(ExecutionPolicy.DEFAULT.withMaxReclaimCount(1)));
        claimWithTtl();
        clock.advance(TTL);
        run(engine.reconcilers().leaseExpiry());
        leases().reclaim(new ReclaimExecution(id, claimRequest().withLeaseTtl(TTL))).block(TIMEOUT);
        clock.advance(TTL);
        run(engine.reconcilers().leaseExpiry());
        StepVerifier.create(leases().reclaim(new ReclaimExecution(id, claimRequest())))
                .expectErrorSatisfies(e -> assertThat(((ReclaimCapExceededException) e).reclaimCount()).isEqualTo(1))
                .verify(TIMEOUT);
        assertState(id, Transition.RECLAIM_CAP_EXCEEDED);
        assertThat(describe(id).lastErrorType()).isEqualTo("ReclaimCapExceeded");
        assertThat(engine.feeds().awaitCompletion(id).block(TIMEOUT).outcome()).isEqualTo(TerminalOutcome.FAILED);
    }

    @Test
    void revokeLeaseIsIdempotentAndFencesTheHolder() {
        ExecutionId id = create("k");
        ClaimedExecution held = claimWithTtl();
        assertThat(executions().revokeLease(new RevokeLease(id, LeaseId.random(), null)).block(TIMEOUT))
                .isEqualTo(new RevokeResult.NotRevoked(RevokeResult.Reason.LEASE_ID_MISMATCH));
        assertThat(executions().revokeLease(new RevokeLease(id, held.fence().leaseId(), "stuck")).block(TIMEOUT))
                .isEqualTo(new RevokeResult.Revoked(held.fence().leaseId(), held.fence().leaseEpoch()));
        assertState(id, Transition.REVOKE_LEASE);
        assertThat(executions().revokeLease(RevokeLease.of(id)).block(TIMEOUT))
                .isEqualTo(new RevokeResult.NotRevoked(RevokeResult.Reason.NO_ACTIVE_LEASE));
        StepVerifier.create(leases().renew(RenewLease.of(held))).expectError(LeaseRevokedException.class).verify(TIMEOUT);
        ClaimedExecution reclaimed = leases().reclaimBatch(claimRequest(), 5).blockFirst(TIMEOUT);
        assertThat(reclaimed.executionId()).isEqualTo(id);
        assertThat(reclaimed.fence().leaseEpoch()).isEqualTo(2);
    }

    @Test
    void delayedPromotionMakesDueExecutionsWaitingAndKeepsTheirAttempt() {
        ExecutionId first = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withDelayUntil(clock.instant().plusSeconds(10)));
        ExecutionId retried = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withRetry(RetryPolicy.fixed(1, Duration.ofSeconds(10))));
        leases().fail(FailExecution.of(claim(), "E", "m")).block(TIMEOUT);
        ExecutionId paused = create("k");
        ClaimedExecution pausing = claim();
        leases().delay(new DelayExecution(paused, pausing.fence(), clock.instant().plusSeconds(10))).block(TIMEOUT);
        assertThat(run(engine.reconcilers().delayedPromotion()).actedOn()).isZero();
        clock.advance(Duration.ofSeconds(10));
        assertThat(run(engine.reconcilers().delayedPromotion()).actedOn()).isGreaterThanOrEqualTo(3);
        assertState(first, Transition.PROMOTE_FIRST_ATTEMPT);
        assertState(retried, Transition.PROMOTE_RETRY_ATTEMPT);
        assertState(paused, Transition.PROMOTE_INTERRUPTED_ATTEMPT);
    }

    @Test
    void attemptTimeoutEndsTheExecutionExpired() {
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.EMPTY).withPolicy(ExecutionPolicy.DEFAULT
                .withAttemptTimeout(Duration.ofSeconds(10)).withRetry(RetryPolicy.fixed(3, Duration.ZERO))));
        ClaimedExecution held = leases().claim(claimRequest().withLeaseTtl(Duration.ofMinutes(5))).block(TIMEOUT);
        assertThat(held.attemptDeadline()).isEqualTo(clock.instant().plusSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        assertThat(run(engine.reconcilers().attemptTimeout()).actedOn()).isGreaterThanOrEqualTo(1);
        assertState(id, Transition.ATTEMPT_TIMEOUT);
        assertThat(describe(id).attempts()).singleElement()
                .satisfies(a -> assertThat(a.lifecycle()).isEqualTo(AttemptLifecycle.ENDED_EXPIRED));
        StepVerifier.create(leases().complete(CompleteExecution.of(held, Payload.EMPTY)))
                .expectError(ExecutionNotActiveException.class).verify(TIMEOUT);
        CompletionEvent event = engine.feeds().awaitCompletion(id).block(TIMEOUT);
        assertThat(event.outcome()).isEqualTo(TerminalOutcome.EXPIRED);
    }

    @Test
    void executionDeadlineExpiresRunnableAndActiveExecutionsWithoutRetry() {
        ExecutionPolicy policy = ExecutionPolicy.DEFAULT.withExecutionDeadline(Duration.ofMinutes(1))
                .withRetry(RetryPolicy.fixed(5, Duration.ZERO));
        ExecutionId running = create(CreateExecution.of("k", lane, Payload.EMPTY).withPolicy(policy).withPriority(5));
        ExecutionId waiting = create(CreateExecution.of("k", lane, Payload.EMPTY).withPolicy(policy));
        leases().claim(claimRequest().withLeaseTtl(Duration.ofMinutes(5))).block(TIMEOUT);
        clock.advance(Duration.ofMinutes(1));
        assertThat(run(engine.reconcilers().executionDeadline()).actedOn()).isGreaterThanOrEqualTo(2);
        assertState(running, Transition.DEADLINE_EXPIRE);
        assertState(waiting, Transition.DEADLINE_EXPIRE);
        assertThat(describe(waiting).publicState()).isEqualTo(PublicState.EXPIRED);
        StepVerifier.create(leases().claim(claimRequest())).verifyComplete();
    }

    @Test
    void retentionDeletesOldTerminalExecutionsOnly() {
        ExecutionId done = create("k");
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        ExecutionId waiting = create("k");
        clock.advance(Duration.ofDays(7).plusSeconds(1));
        assertThat(run(engine.reconcilers().retention()).actedOn()).isGreaterThanOrEqualTo(1);
        StepVerifier.create(executions().describe(done)).expectError(NotFoundException.class).verify(TIMEOUT);
        assertThat(describe(waiting).publicState()).isEqualTo(PublicState.WAITING);
    }

    @Test
    void expiredIdempotencyKeysAreDeleted() {
        CreateExecution request = CreateExecution.of("k", lane, Payload.EMPTY).withIdempotencyKey("idem-" + lane.value())
                .withPolicy(ExecutionPolicy.DEFAULT.withDedupWindow(Duration.ofMinutes(5)));
        create(request);
        assertThat(run(engine.reconcilers().idempotencyExpiry()).actedOn()).isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(run(engine.reconcilers().idempotencyExpiry()).actedOn()).isGreaterThanOrEqualTo(1);
        assertThat(executions().create(request).block(TIMEOUT)).isInstanceOf(CreateResult.Created.class);
    }

    @Test
    void aFilteredReconcilerOnlyTouchesItsNamespace() {
        TestClock ownClock = TestClock.startingNow();
        var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        Engine filtered = openEngine(ownClock, ReconcilerSettings.manual().withMeterRegistry(meters)
                .withFilter(Namespace.of("ns-a"), null, null)).block(TIMEOUT);
        try {
            ExecutionId a = filtered.executions().create(CreateExecution.of("k", lane, Payload.EMPTY)
                    .withNamespace(Namespace.of("ns-a"))).block(TIMEOUT).executionId();
            ExecutionId b = filtered.executions().create(CreateExecution.of("k", lane, Payload.EMPTY)
                    .withNamespace(Namespace.of("ns-b"))).block(TIMEOUT).executionId();
            filtered.leases().claim(claimRequest().withNamespace(Namespace.of("ns-a")).withLeaseTtl(TTL)).block(TIMEOUT);
            filtered.leases().claim(claimRequest().withNamespace(Namespace.of("ns-b")).withLeaseTtl(TTL)).block(TIMEOUT);
            ownClock.advance(TTL);
            assertThat(filtered.reconcilers().leaseExpiry().runOnce().block(TIMEOUT).actedOn()).isEqualTo(1);
            assertThat(filtered.executions().describe(a).block(TIMEOUT).state().ownershipState().literal())
                    .isEqualTo("lease_expired_reclaimable");
            assertThat(filtered.executions().describe(b).block(TIMEOUT).state().ownershipState().literal())
                    .isEqualTo("leased");
            assertThat(meters.counter("flowfabric.reconciler.acted", "reconciler", "lease_expiry").count())
                    .isEqualTo(1.0);
            assertThat(meters.counter("flowfabric.reconciler.examined", "reconciler", "lease_expiry").count())
                    .isEqualTo(1.0);
        } finally {
            filtered.shutdown().block(TIMEOUT);
        }
    }
}
