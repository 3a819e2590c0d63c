package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.error.ExecutionNotActiveException;
import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.StaleLeaseException;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.feed.CompletionEvent;
import io.flowfabric.api.feed.FeedRequest;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.api.state.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Contract: {@link Leases#completeBatch}. Each request is judged as {@code complete} would judge it alone,
 * its own error stays in its item, and the batch writes exactly the rows and events the single calls would.
 */
public abstract class CompleteBatchContractTest extends ContractSupport {
    private static final String TAG = "test.lane";

    private ExecutionId createTagged() {
        return create(CreateExecution.of("k", lane, Payload.EMPTY).withTag(TAG, lane.value())
                .withRetry(RetryPolicy.fixed(1, Duration.ZERO)));
    }

    @Test
    void eachRequestGetsItsOwnOutcomeInRequestOrder() {
        createTagged();
        createTagged();
        createTagged();
        createTagged();
        List<ClaimedExecution> claimed = leases().claimBatch(claimRequest(), 4).collectList().block(TIMEOUT);
        ClaimedExecution heldA = claimed.get(0);
        ClaimedExecution heldB = claimed.get(1);
        ClaimedExecution firstOfStale = claimed.get(2);
        ClaimedExecution done = claimed.get(3);
        ExecutionId a = heldA.executionId();
        ExecutionId b = heldB.executionId();
        ExecutionId stale = firstOfStale.executionId();
        ExecutionId replayed = done.executionId();
        leases().complete(CompleteExecution.of(done, Payload.utf8("earlier"))).block(TIMEOUT);
        leases().fail(FailExecution.of(firstOfStale, "E", "retry me")).block(TIMEOUT);
        ClaimedExecution secondOfStale = claim();
        assertThat(secondOfStale.executionId()).isEqualTo(stale);
        ExecutionId missing = new ExecutionId(a.partition(), UUID.randomUUID());

        List<BatchItem<Completed>> items = leases().completeBatch(List.of(
                CompleteExecution.of(heldA, Payload.utf8("a")),
                CompleteExecution.of(firstOfStale, Payload.utf8("stale")),
                CompleteExecution.of(done, Payload.utf8("again")),
                new CompleteExecution(missing, heldA.fence(), Payload.EMPTY),
                CompleteExecution.of(heldB, Payload.utf8("b")))).collectList().block(TIMEOUT);

        assertThat(items).extracting(BatchItem::index).containsExactly(0, 1, 2, 3, 4);
        assertThat(items.get(0).value().replay()).isFalse();
        assertThat(items.get(0).value().executionId()).isEqualTo(a);
        assertThat(items.get(1).error()).isInstanceOf(StaleLeaseException.class);
        assertThat(items.get(2).value().replay()).isTrue();
        assertThat(items.get(3).error()).isInstanceOf(NotFoundException.class);
        assertThat(items.get(4).value().executionId()).isEqualTo(b);

        assertState(a, Transition.COMPLETE);
        assertThat(executions().result(a).block(TIMEOUT).asUtf8()).isEqualTo("a");
        assertThat(executions().result(b).block(TIMEOUT).asUtf8()).isEqualTo("b");
        assertThat(executions().result(replayed).block(TIMEOUT).asUtf8()).isEqualTo("earlier");
        assertThat(describe(a).attempts()).singleElement()
                .satisfies(attempt -> assertThat(attempt.lifecycle()).isEqualTo(AttemptLifecycle.ENDED_SUCCESS));
        ExecutionSnapshot untouched = describe(stale);
        assertThat(untouched.publicState()).isEqualTo(PublicState.ACTIVE);
        assertThat(untouched.currentLease().leaseEpoch()).isEqualTo(secondOfStale.fence().leaseEpoch());

        List<CompletionEvent> completions = engine.feeds()
                .completions(FeedRequest.fromBeginning().withTag(TAG, lane.value()))
                .take(Duration.ofSeconds(2)).collectList().block(TIMEOUT);
        assertThat(completions).extracting(CompletionEvent::executionId).containsExactly(replayed, a, b);
        List<LeaseEvent> released = engine.feeds().leaseHistory(FeedRequest.fromBeginning().withTag(TAG, lane.value()))
                .take(Duration.ofSeconds(2)).filter(e -> e.type() == LeaseEvent.Type.RELEASED)
                .collectList().block(TIMEOUT);
        assertThat(released).extracting(LeaseEvent::executionId)
                .containsExactly(replayed, stale, a, b);
    }

    @Test
    void aNotActiveExecutionIsReportedInItsItem() {
        ExecutionId id = createTagged();
        ClaimedExecution claimed = claim();
        leases().fail(FailExecution.of(claimed, "E", "m")).block(TIMEOUT);
        ClaimedExecution retry = claim();
        leases().fail(FailExecution.of(retry, "E", "m")).block(TIMEOUT);

        List<BatchItem<Completed>> items = leases().completeBatch(List.of(CompleteExecution.of(retry, Payload.EMPTY)))
                .collectList().block(TIMEOUT);
        assertThat(items).singleElement().satisfies(item ->
                assertThat(item.error()).isInstanceOf(ExecutionNotActiveException.class));
        assertThat(describe(id).publicState()).isEqualTo(PublicState.FAILED);
    }

    @Test
    void aLargeBatchCompletesEveryExecutionOnce() {
        int n = 120;
        List<ExecutionId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(createTagged());
        }
        List<ClaimedExecution> claimed = leases().claimBatch(claimRequest(), n).collectList().block(TIMEOUT);
        assertThat(claimed).hasSize(n);
        List<CompleteExecution> requests = new ArrayList<>(claimed.stream()
                .map(c -> CompleteExecution.of(c, Payload.utf8(c.executionId().toString()))).toList());
        Collections.shuffle(requests);

        List<BatchItem<Completed>> items = leases().completeBatch(requests).collectList().block(TIMEOUT);

        assertThat(items).hasSize(n).allSatisfy(item -> assertThat(item.succeeded()).isTrue());
        for (int i = 0; i < n; i++) {
            assertThat(items.get(i).value().executionId()).isEqualTo(requests.get(i).executionId());
        }
        for (ExecutionId id : ids) {
            assertThat(executions().result(id).block(TIMEOUT).asUtf8()).isEqualTo(id.toString());
        }
        List<CompletionEvent> completions = engine.feeds()
                .completions(FeedRequest.fromBeginning().withTag(TAG, lane.value()))
                .take(Duration.ofSeconds(2)).collectList().block(TIMEOUT);
        assertThat(completions).extracting(CompletionEvent::executionId).containsExactlyInAnyOrderElementsOf(ids);
    }

    /**
     * Renewals racing the completion of the same executions: whichever order the rows change in, every
     * completion applies exactly once (the optimistic path retries under a lock when a renewal moved the
     * row) and each execution gets exactly one completion event.
     */
    @Test
    void completionsRacingRenewalsApplyExactlyOnce() {
        int n = 40;
        for (int i = 0; i < n; i++) {
            createTagged();
        }
        List<ClaimedExecution> claimed = leases().claimBatch(claimRequest(), n).collectList().block(TIMEOUT);
        reactor.core.publisher.Flux<Object> renewals = reactor.core.publisher.Flux.fromIterable(claimed)
                .flatMap(c -> reactor.core.publisher.Flux.range(0, 3)
                        .flatMap(k -> leases().renew(RenewLease.of(c)).<Object>map(r -> r)
                                .onErrorResume(io.flowfabric.api.error.EngineException.class, e -> Mono.empty())));
        reactor.core.publisher.Flux<Object> singles = reactor.core.publisher.Flux.fromIterable(claimed.subList(0, n / 2))
                .flatMap(c -> leases().complete(CompleteExecution.of(c, Payload.utf8("single"))).map(done -> (Object) done));
        reactor.core.publisher.Flux<Object> batch = leases().completeBatch(claimed.subList(n / 2, n).stream()
                .map(c -> CompleteExecution.of(c, Payload.utf8("batch"))).toList()).map(item -> (Object) item);

        List<Object> outcomes = reactor.core.publisher.Flux.merge(renewals, singles, batch).collectList().block(TIMEOUT);

        assertThat(outcomes.stream().filter(o -> o instanceof Completed).map(o -> (Completed) o))
                .hasSize(n / 2).allSatisfy(done -> assertThat(done.replay()).isFalse());
        assertThat(outcomes.stream().filter(o -> o instanceof BatchItem<?>).map(o -> (BatchItem<?>) o))
                .hasSize(n / 2).allSatisfy(item -> assertThat(item.succeeded()).isTrue());
        for (ClaimedExecution c : claimed) {
            assertThat(describe(c.executionId()).publicState()).isEqualTo(PublicState.COMPLETED);
        }
        List<CompletionEvent> completions = engine.feeds()
                .completions(FeedRequest.fromBeginning().withTag(TAG, lane.value()))
                .take(Duration.ofSeconds(2)).collectList().block(TIMEOUT);
        assertThat(completions).extracting(CompletionEvent::executionId).doesNotHaveDuplicates().hasSize(n);
    }

    @Test
    void badBatchesAreRejectedAndChangeNothing() {
        ExecutionId id = createTagged();
        ClaimedExecution claimed = claim();
        CompleteExecution ok = CompleteExecution.of(claimed, Payload.EMPTY);
        List<CompleteExecution> withNull = new ArrayList<>();
        withNull.add(ok);
        withNull.add(null);
        StepVerifier.create(leases().completeBatch(List.of())).expectError(ValidationException.class).verify(TIMEOUT);
        StepVerifier.create(leases().completeBatch(withNull)).expectError(ValidationException.class).verify(TIMEOUT);
        StepVerifier.create(leases().completeBatch(Collections.nCopies(1001, ok)))
                .expectError(ValidationException.class).verify(TIMEOUT);
        assertThat(describe(id).publicState()).isEqualTo(PublicState.ACTIVE);
    }
}
