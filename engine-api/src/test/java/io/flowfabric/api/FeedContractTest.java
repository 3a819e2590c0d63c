package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.feed.CompletionEvent;
import io.flowfabric.api.feed.FeedCursorTrimmedException;
import io.flowfabric.api.feed.FeedRequest;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.feed.OperatorEvent;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.state.TerminalOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Contract: outbox feeds. Each test tags its executions with its lane and filters on that tag, so the
 * tests of one class (which share an engine) do not see each other's events.
 */
public abstract class FeedContractTest extends ContractSupport {
    private static final String TAG = "test.lane";

    private ExecutionId createTagged() {
        return create(CreateExecution.of("k", lane, Payload.EMPTY).withTag(TAG, lane.value()));
    }

    private FeedRequest mine(FeedRequest request) {
        return request.withTag(TAG, lane.value());
    }

    @Test
    void everyTerminalOutcomeIsPublishedAsACompletion() {
        ExecutionId completed = createTagged();
        leases().complete(CompleteExecution.of(claim(), Payload.utf8("r"))).block(TIMEOUT);
        ExecutionId failed = createTagged();
        leases().fail(FailExecution.of(claim(), "E", "m")).block(TIMEOUT);
        ExecutionId workerCancelled = createTagged();
        ClaimedExecution held = claim();
        leases().cancel(new CancelLeased(workerCancelled, held.fence(), "stop")).block(TIMEOUT);
        ExecutionId operatorCancelled = createTagged();
        executions().cancel(new CancelExecution(operatorCancelled, "ops")).block(TIMEOUT);

        List<CompletionEvent> events = engine.feeds().completions(mine(FeedRequest.fromBeginning()))
                .take(4).collectList().block(TIMEOUT);
        assertThat(events).extracting(CompletionEvent::executionId)
                .containsExactly(completed, failed, workerCancelled, operatorCancelled);
        assertThat(events).extracting(CompletionEvent::outcome).containsExactly(TerminalOutcome.SUCCESS,
                TerminalOutcome.FAILED, TerminalOutcome.CANCELLED, TerminalOutcome.CANCELLED);
        assertThat(events.get(0).tags()).containsEntry(TAG, lane.value());
        assertThat(events.get(0).namespace()).isEqualTo(Namespace.DEFAULT);
        assertThat(events.get(0).occurredAt()).isEqualTo(clock.instant());
    }

    @Test
    void retriesDoNotPublishCompletionsUntilTerminal() {
        ExecutionId id = create(CreateExecution.of("k", lane, Payload.EMPTY).withTag(TAG, lane.value())
                .withRetry(RetryPolicy.fixed(1, Duration.ZERO)));
        leases().fail(FailExecution.of(claim(), "E", "first")).block(TIMEOUT);
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        List<CompletionEvent> events = engine.feeds().completions(mine(FeedRequest.fromBeginning()))
                .take(Duration.ofSeconds(2)).collectList().block(TIMEOUT);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.executionId()).isEqualTo(id);
            assertThat(e.outcome()).isEqualTo(TerminalOutcome.SUCCESS);
        });
    }

    @Test
    void leaseHistoryFollowsTheLease() {
        ExecutionId id = createTagged();
        ClaimedExecution claimed = claim();
        leases().renew(RenewLease.of(claimed)).block(TIMEOUT);
        leases().complete(CompleteExecution.of(claimed, Payload.EMPTY)).block(TIMEOUT);
        ExecutionId revoked = createTagged();
        ClaimedExecution second = claim();
        executions().cancel(new CancelExecution(revoked, "ops")).block(TIMEOUT);

        List<LeaseEvent> events = engine.feeds().leaseHistory(mine(FeedRequest.fromBeginning()))
                .take(5).collectList().block(TIMEOUT);
        assertThat(events).extracting(LeaseEvent::type).containsExactly(LeaseEvent.Type.ACQUIRED,
                LeaseEvent.Type.RENEWED, LeaseEvent.Type.RELEASED, LeaseEvent.Type.ACQUIRED, LeaseEvent.Type.REVOKED);
        assertThat(events.get(0).executionId()).isEqualTo(id);
        assertThat(events.get(0).leaseId()).isEqualTo(claimed.fence().leaseId());
        assertThat(events.get(0).leaseEpoch()).isEqualTo(1);
        assertThat(events.get(0).attemptIndex()).isZero();
        assertThat(events.get(0).workerInstanceId()).isEqualTo(WorkerInstanceId.of("instance-1"));
        assertThat(events.get(4).leaseId()).isEqualTo(second.fence().leaseId());
    }

    @Test
    void operatorCancelIsAnOperatorEvent() {
        ExecutionId id = createTagged();
        executions().cancel(new CancelExecution(id, "maintenance")).block(TIMEOUT);
        OperatorEvent event = engine.feeds().operatorEvents(mine(FeedRequest.fromBeginning())).blockFirst(TIMEOUT);
        assertThat(event.executionId()).isEqualTo(id);
        assertThat(event.type()).isEqualTo(OperatorEvent.Type.CANCELLED);
        assertThat(event.details()).containsEntry("reason", "maintenance");
    }

    @Test
    void resumingAfterACursorDeliversExactlyTheLaterEvents() {
        List<ExecutionId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(createTagged());
            leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        }
        List<CompletionEvent> all = engine.feeds().completions(mine(FeedRequest.fromBeginning()))
                .take(5).collectList().block(TIMEOUT);
        List<CompletionEvent> rest = engine.feeds().completions(mine(FeedRequest.after(all.get(1).cursor())))
                .take(Duration.ofSeconds(2)).collectList().block(TIMEOUT);
        assertThat(rest).containsExactlyElementsOf(all.subList(2, 5));
        assertThat(all).extracting(CompletionEvent::executionId).containsExactlyElementsOf(ids);
    }

    @Test
    void liveSubscriberGetsNewEventsAndFromNowSkipsHistory() {
        createTagged();
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        List<CompletionEvent> received = new ArrayList<>();
        var subscription = engine.feeds().completions(mine(FeedRequest.fromNow()))
                .subscribe(e -> {
                    synchronized (received) {
                        received.add(e);
                    }
                });
        try {
            Mono.delay(Duration.ofMillis(300)).block();
            ExecutionId later = createTagged();
            leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
            Flux.interval(Duration.ofMillis(20)).takeUntil(n -> sizeOf(received) >= 1)
                    .blockLast(TIMEOUT);
            Mono.delay(Duration.ofMillis(300)).block();
            synchronized (received) {
                assertThat(received).extracting(CompletionEvent::executionId).containsExactly(later);
            }
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void filtersDropOtherNamespacesAndTags() {
        ExecutionId mineInNs = create(CreateExecution.of("k", lane, Payload.EMPTY).withTag(TAG, lane.value())
                .withNamespace(Namespace.of("ns-feed")));
        ExecutionId other = create(CreateExecution.of("k", lane, Payload.EMPTY).withTag(TAG, "someone-else")
                .withNamespace(Namespace.of("ns-feed")));
        ExecutionId mineDefault = createTagged();
        ClaimRequest ns = claimRequest().withNamespace(Namespace.of("ns-feed"));
        leases().complete(CompleteExecution.of(leases().claim(ns).block(TIMEOUT), Payload.EMPTY)).block(TIMEOUT);
        leases().complete(CompleteExecution.of(leases().claim(ns).block(TIMEOUT), Payload.EMPTY)).block(TIMEOUT);
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);

        assertThat(ids(mine(FeedRequest.fromBeginning()).withNamespace(Namespace.of("ns-feed"))))
                .containsExactly(mineInNs);
        assertThat(ids(mine(FeedRequest.fromBeginning()))).containsExactly(mineInNs, mineDefault);
        assertThat(ids(FeedRequest.fromBeginning().withTag(TAG, "someone-else"))).contains(other)
                .doesNotContain(mineInNs, mineDefault);
    }

    @Test
    void malformedAndForeignCursorsAreValidationErrors() {
        createTagged();
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        String completionCursor = engine.feeds().completions(mine(FeedRequest.fromBeginning())).blockFirst(TIMEOUT)
                .cursor();
        StepVerifier.create(engine.feeds().completions(FeedRequest.after("not-a-cursor")))
                .expectErrorSatisfies(e -> assertThat(((ValidationException) e).kind())
                        .isEqualTo(ValidationException.Kind.INVALID_CURSOR))
                .verify(TIMEOUT);
        StepVerifier.create(engine.feeds().leaseHistory(FeedRequest.after(completionCursor)))
                .expectErrorSatisfies(e -> assertThat(((ValidationException) e).kind())
                        .isEqualTo(ValidationException.Kind.INVALID_CURSOR))
                .verify(TIMEOUT);
    }

    @Test
    void trimmedHistoryCannotBeResumed() {
        createTagged();
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        createTagged();
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        // Resuming after the first event would need the second, which the trim below deletes.
        String old = engine.feeds().completions(mine(FeedRequest.fromBeginning())).blockFirst(TIMEOUT).cursor();
        clock.advance(Duration.ofHours(1));
        ExecutionId kept = createTagged();
        ClaimedExecution claimed = leases().claim(claimRequest().withLeaseTtl(Duration.ofHours(3))).block(TIMEOUT);
        clock.advance(Duration.ofHours(1));
        leases().complete(CompleteExecution.of(claimed, Payload.EMPTY)).block(TIMEOUT);
        Mono.delay(Duration.ofMillis(100)).block();
        assertThat(engine.feeds().trim(clock.instant().minus(Duration.ofMinutes(30))).block(TIMEOUT)).isPositive();
        StepVerifier.create(engine.feeds().completions(FeedRequest.after(old)))
                .expectError(FeedCursorTrimmedException.class).verify(TIMEOUT);
        assertThat(ids(mine(FeedRequest.fromBeginning()))).containsExactly(kept);
    }

    @Test
    void awaitCompletionReturnsPastAndFutureCompletions() {
        ExecutionId done = createTagged();
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        assertThat(engine.feeds().awaitCompletion(done).block(TIMEOUT).outcome()).isEqualTo(TerminalOutcome.SUCCESS);

        ExecutionId pending = createTagged();
        Mono<CompletionEvent> waiting = engine.feeds().awaitCompletion(pending).cache();
        waiting.subscribe();
        Mono.delay(Duration.ofMillis(200)).block();
        leases().fail(FailExecution.of(claim(), "E", "m")).block(TIMEOUT);
        CompletionEvent event = waiting.block(TIMEOUT);
        assertThat(event.executionId()).isEqualTo(pending);
        assertThat(event.outcome()).isEqualTo(TerminalOutcome.FAILED);

        StepVerifier.create(engine.feeds().awaitCompletion(ExecutionId.solo(lane)))
                .expectError(NotFoundException.class).verify(TIMEOUT);
    }

    @Test
    void slowSubscriberReceivesEverythingInOrderWithoutLoss() {
        int count = 600;
        List<ExecutionId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(createTagged());
        }
        leases().claimBatch(claimRequest(), 1000)
                .concatMap(c -> leases().complete(CompleteExecution.of(c, Payload.EMPTY)))
                .blockLast(Duration.ofSeconds(120));
        StepVerifier.Step<CompletionEvent> step = StepVerifier.create(
                engine.feeds().completions(mine(FeedRequest.fromBeginning())), 0);
        List<ExecutionId> seen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            step = step.thenRequest(1).assertNext(e -> seen.add(e.executionId()));
        }
        step.thenCancel().verify(Duration.ofSeconds(60));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
    }

    @Test
    void concurrentProducersAreSeenExactlyOnceInFeedOrder() {
        int producers = 4;
        int perProducer = 10_000;
        List<ClaimedExecution> leasesHeld = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            createTagged();
            leasesHeld.add(leases().claim(claimRequest().withLeaseTtl(Duration.ofHours(1))).block(TIMEOUT));
        }
        int expected = producers * (perProducer + 1);
        List<LeaseEvent> received = new ArrayList<>();
        var subscription = engine.feeds().leaseHistory(mine(FeedRequest.fromBeginning()))
                .publishOn(Schedulers.single())
                .subscribe(e -> {
                    synchronized (received) {
                        received.add(e);
                    }
                });
        try {
            Flux.fromIterable(leasesHeld)
                    .flatMap(held -> Flux.range(0, perProducer)
                            .concatMap(i -> leases().renew(RenewLease.of(held)))
                            .subscribeOn(Schedulers.parallel()), producers)
                    .blockLast(Duration.ofMinutes(5));
            Flux.interval(Duration.ofMillis(50)).takeUntil(n -> sizeOf(received) >= expected)
                    .blockLast(Duration.ofMinutes(2));
            Mono.delay(Duration.ofMillis(500)).block();
        } finally {
            subscription.dispose();
        }
        synchronized (received) {
            assertThat(received).hasSize(expected);
            assertThat(new HashSet<>(received.stream().map(LeaseEvent::cursor).toList())).hasSize(expected);
            Map<ExecutionId, Long> perExecution = new java.util.HashMap<>();
            received.forEach(e -> perExecution.merge(e.executionId(), 1L, Long::sum));
            assertThat(perExecution.values()).containsOnly((long) perProducer + 1);
            List<String> cursors = received.stream().map(LeaseEvent::cursor).toList();
            List<String> resumed = engine.feeds().leaseHistory(mine(FeedRequest.after(cursors.get(expected / 2))))
                    .take(expected - expected / 2 - 1).map(LeaseEvent::cursor).collectList().block(TIMEOUT);
            assertThat(resumed).containsExactlyElementsOf(cursors.subList(expected / 2 + 1, expected));
        }
    }

    @Test
    void subscribingAfterTheHeadCursorSeesExactlyTheLaterEvents() {
        createTagged();
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        String head = engine.feeds().headCursor(io.flowfabric.api.feed.FeedName.COMPLETIONS).block(TIMEOUT);
        ExecutionId later = createTagged();
        leases().complete(CompleteExecution.of(claim(), Payload.EMPTY)).block(TIMEOUT);
        assertThat(ids(mine(FeedRequest.after(head)))).containsExactly(later);
    }

    private List<ExecutionId> ids(FeedRequest request) {
        return engine.feeds().completions(request).take(Duration.ofSeconds(2)).map(CompletionEvent::executionId)
                .collectList().block(TIMEOUT);
    }

    private static int sizeOf(List<?> list) {
        synchronized (list) {
            return list.size();
        }
    }
}
