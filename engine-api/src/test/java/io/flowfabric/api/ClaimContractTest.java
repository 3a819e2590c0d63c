package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptType;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Contract: claim order, filtering, batches, concurrency, attempts and lease epochs. */
public abstract class ClaimContractTest extends ContractSupport {

    @Test
    void nothingToClaimIsEmptyNotAnError() {
        StepVerifier.create(leases().claim(claimRequest())).verifyComplete();
        StepVerifier.create(leases().claimBatch(claimRequest(), 10)).verifyComplete();
    }

    @Test
    void firstClaimCreatesInitialAttemptZeroWithEpochOne() {
        ExecutionId id = create("k");
        ClaimedExecution claimed = claim();
        assertThat(claimed.executionId()).isEqualTo(id);
        assertThat(claimed.attemptIndex()).isZero();
        assertThat(claimed.attemptType()).isEqualTo(AttemptType.INITIAL);
        assertThat(claimed.fence().leaseEpoch()).isEqualTo(1);
        assertThat(claimed.resumedAttempt()).isFalse();
        assertThat(claimed.leaseExpiresAt()).isEqualTo(clock.instant().plus(ClaimRequest.DEFAULT_LEASE_TTL));
        assertState(id, Transition.CLAIM_NEW_ATTEMPT);
        ExecutionSnapshot snapshot = describe(id);
        assertThat(snapshot.publicState()).isEqualTo(PublicState.ACTIVE);
        assertThat(snapshot.startedAt()).isEqualTo(clock.instant());
        assertThat(snapshot.currentLease().leaseEpoch()).isEqualTo(1);
        assertThat(snapshot.currentLease().workerId()).isEqualTo(WorkerId.of("worker-a"));
        assertThat(snapshot.attempts()).singleElement().satisfies(a -> {
            assertThat(a.attemptIndex()).isZero();
            assertThat(a.attemptType()).isEqualTo(AttemptType.INITIAL);
            assertThat(a.lifecycle()).isEqualTo(AttemptLifecycle.STARTED);
            assertThat(a.attemptId()).isEqualTo(claimed.fence().attemptId());
        });
        StepVerifier.create(leases().claim(claimRequest())).verifyComplete();
    }

    @Test
    void highestPriorityFirstThenOldest() {
        ExecutionId lowOld = create(CreateExecution.of("k", lane, Payload.EMPTY).withPriority(1));
        clock.advance(Duration.ofMillis(5));
        ExecutionId highNew = create(CreateExecution.of("k", lane, Payload.EMPTY).withPriority(100));
        clock.advance(Duration.ofMillis(5));
        ExecutionId lowNew = create(CreateExecution.of("k", lane, Payload.EMPTY).withPriority(1));
        clock.advance(Duration.ofMillis(5));
        ExecutionId highNewest = create(CreateExecution.of("k", lane, Payload.EMPTY).withPriority(100));
        List<ExecutionId> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            order.add(claim().executionId());
        }
        assertThat(order).containsExactly(highNew, highNewest, lowOld, lowNew);
    }

    @Test
    void claimsOnlyFromRequestedLaneAndNamespace() {
        create(CreateExecution.of("k", LaneId.of("other-" + lane.value()), Payload.EMPTY));
        ExecutionId inNs = create(CreateExecution.of("k", lane, Payload.EMPTY).withNamespace(Namespace.of("tenant-x")));
        StepVerifier.create(leases().claim(claimRequest())).verifyComplete();
        ClaimedExecution claimed = leases().claim(claimRequest().withNamespace(Namespace.of("tenant-x"))).block(TIMEOUT);
        assertThat(claimed.executionId()).isEqualTo(inNs);
        assertThat(claimed.namespace()).isEqualTo(Namespace.of("tenant-x"));
    }

    @Test
    void claimsOnlyWhenWorkerHasRequiredCapabilities() {
        ExecutionId gpu = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withPolicy(ExecutionPolicy.DEFAULT.withRequiredCapabilities(Set.of("gpu", "cuda12"))));
        StepVerifier.create(leases().claim(claimRequest())).verifyComplete();
        StepVerifier.create(leases().claim(claimRequest().withCapabilities(Set.of("gpu")))).verifyComplete();
        StepVerifier.create(leases().claim(claimRequest().withCapabilities(Set.of("GPU", "cuda12")))).verifyComplete();
        ExecutionId plain = create("k");
        assertThat(leases().claim(claimRequest().withCapabilities(Set.of("cpu"))).block(TIMEOUT).executionId())
                .isEqualTo(plain);
        assertThat(leases().claim(claimRequest().withCapabilities(Set.of("gpu", "cuda12", "x86")))
                .block(TIMEOUT).executionId()).isEqualTo(gpu);
    }

    @Test
    void batchClaimsUpToNInClaimOrder() {
        List<ExecutionId> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(create(CreateExecution.of("k", lane, Payload.EMPTY).withPriority(i)));
        }
        List<ClaimedExecution> batch = leases().claimBatch(claimRequest(), 3).collectList().block(TIMEOUT);
        assertThat(batch).extracting(ClaimedExecution::executionId)
                .containsExactly(created.get(4), created.get(3), created.get(2));
        assertThat(batch).allSatisfy(c -> assertThat(c.fence().leaseEpoch()).isEqualTo(1));
        assertThat(leases().claimBatch(claimRequest(), 10).collectList().block(TIMEOUT)).hasSize(2);
    }

    @Test
    void concurrentClaimersNeverLeaseOneExecutionTwice() {
        int executions = 120;
        for (int i = 0; i < executions; i++) {
            create("k");
        }
        ConcurrentLinkedQueue<ExecutionId> claimed = new ConcurrentLinkedQueue<>();
        Flux.range(0, 8)
                .flatMap(w -> Mono.defer(() -> leases().claimBatch(claimRequest(), 1 + w % 3)
                                .doOnNext(c -> claimed.add(c.executionId())).count())
                        .repeat()
                        .takeUntil(n -> n == 0)
                        .subscribeOn(Schedulers.parallel()), 8)
                .blockLast(Duration.ofSeconds(60));
        assertThat(claimed).hasSize(executions);
        assertThat(new HashSet<>(claimed)).hasSize(executions);
    }

    @Test
    void dueRetryIsClaimableWithoutBackgroundPromotion() {
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.EMPTY)
                .withRetry(RetryPolicy.fixed(2, Duration.ofSeconds(5))));
        ClaimedExecution first = claim();
        leases().fail(FailExecution.of(first, "Boom", "first")).block(TIMEOUT);
        StepVerifier.create(leases().claim(claimRequest())).verifyComplete();
        clock.advance(Duration.ofSeconds(5));
        ClaimedExecution retry = claim();
        assertThat(retry.executionId()).isEqualTo(id);
        assertThat(retry.attemptIndex()).isEqualTo(1);
        assertThat(retry.attemptType()).isEqualTo(AttemptType.RETRY);
        assertThat(retry.fence().leaseEpoch()).isEqualTo(2);
        assertThat(describe(id).attempts()).extracting(AttemptInfo::lifecycle)
                .containsExactly(AttemptLifecycle.ENDED_FAILURE, AttemptLifecycle.STARTED);
    }

    @Test
    void delayedAttemptIsReleasedOnTheSameAttemptWithNextEpoch() {
        ExecutionId id = create("k");
        ClaimedExecution first = claim();
        leases().delay(new DelayExecution(id, first.fence(), clock.instant().plusSeconds(20))).block(TIMEOUT);
        assertState(id, Transition.DELAY);
        StepVerifier.create(leases().claim(claimRequest())).verifyComplete();
        clock.advance(Duration.ofSeconds(20));
        ClaimedExecution again = claim();
        assertThat(again.attemptIndex()).isZero();
        assertThat(again.resumedAttempt()).isTrue();
        assertThat(again.fence().attemptId()).isEqualTo(first.fence().attemptId());
        assertThat(again.fence().leaseEpoch()).isEqualTo(2);
        assertThat(again.fence().leaseId()).isNotEqualTo(first.fence().leaseId());
        assertState(id, Transition.CLAIM_INTERRUPTED_ATTEMPT);
        assertThat(describe(id).attempts()).hasSize(1);
    }

    @Test
    void leaseTtlIsHonoured() {
        create("k");
        ClaimedExecution claimed = leases().claim(claimRequest().withLeaseTtl(Duration.ofSeconds(7))).block(TIMEOUT);
        assertThat(claimed.leaseExpiresAt()).isEqualTo(clock.instant().plusSeconds(7));
    }

    @Test
    void invalidBatchSizeIsValidationError() {
        StepVerifier.create(leases().claimBatch(claimRequest(), 0))
                .expectError(io.flowfabric.api.error.ValidationException.class).verify(TIMEOUT);
    }
}
