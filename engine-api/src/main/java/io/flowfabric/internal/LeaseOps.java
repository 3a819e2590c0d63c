package io.flowfabric.internal;

import io.flowfabric.api.BatchItem;
import io.flowfabric.api.CancelLeased;
import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.Completed;
import io.flowfabric.api.DelayExecution;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.FailExecution;
import io.flowfabric.api.FailOutcome;
import io.flowfabric.api.LeaseFence;
import io.flowfabric.api.LeaseRenewal;
import io.flowfabric.api.Leases;
import io.flowfabric.api.RenewLease;
import io.flowfabric.api.ReportProgress;
import io.flowfabric.api.error.EngineException;
import io.flowfabric.api.error.ExecutionNotActiveException;
import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.BlockingReason;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.TerminalOutcome;
import io.flowfabric.api.state.Transition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Worker operations. Each lease-bound call locks the execution, checks the fence with
 * {@link FenceCheck}, then either applies its transition or, when the fence names a lease that an earlier
 * identical call already released, answers as that call did without changing anything.
 */
final class LeaseOps implements Leases {
    private final Store store;
    private final Clock clock;

    private final ClaimHints hints;

    LeaseOps(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.hints = new ClaimHints(store);
    }

    @Override
    public Flux<io.flowfabric.api.LaneId> claimHints(ClaimRequest request) {
        return hints.forLane(request.namespace().value(), request.lane().value()).map(hint -> request.lane());
    }

    @Override
    public Mono<ClaimedExecution> claim(ClaimRequest request) {
        return claimBatch(request, 1).singleOrEmpty();
    }

    @Override
    public Flux<ClaimedExecution> claimBatch(ClaimRequest request, int max) {
        return Flux.defer(() -> {
            if (request == null || max < 1 || max > 1000) {
                return Flux.error(new ValidationException(ValidationException.Kind.INVALID_INPUT,
                        "claim needs a request and a batch size in [1, 1000], got " + max));
            }
            return ClaimOp.claim(store, request, max, clock.millis());
        });
    }

    @Override
    public Mono<ClaimedExecution> reclaim(io.flowfabric.api.ReclaimExecution request) {
        return Mono.defer(() -> ReclaimOp.reclaim(store, request, clock.millis()));
    }

    @Override
    public Flux<ClaimedExecution> reclaimBatch(ClaimRequest request, int max) {
        return Flux.defer(() -> {
            if (request == null || max < 1 || max > 1000) {
                return Flux.error(new ValidationException(ValidationException.Kind.INVALID_INPUT,
                        "reclaim needs a request and a batch size in [1, 1000], got " + max));
            }
            return ReclaimOp.reclaimBatch(store, request, max, clock.millis());
        });
    }

    @Override
    public Mono<LeaseRenewal> renew(RenewLease request) {
        return leased(request.executionId(), request.fence(), (tx, row) -> {
            long now = clock.millis();
            if (request.ttl() != null) {
                row.leaseTtlMs = request.ttl().toMillis();
            }
            row.leaseExpiresAtMs = now + row.leaseTtlMs;
            row.updatedAtMs = now;
            return tx.updateExecution(row)
                    .then(tx.appendEvent(Events.lease(row, LeaseEvent.Type.RENEWED, now)))
                    .thenReturn(new LeaseRenewal(Snapshots.instant(row.leaseExpiresAtMs), row.leaseEpoch));
        }, row -> notActive(row));
    }

    @Override
    public Mono<Void> progress(ReportProgress request) {
        return leased(request.executionId(), request.fence(), (tx, row) -> {
            row.progressPct = request.percent();
            row.progressMessage = request.message();
            row.updatedAtMs = clock.millis();
            return tx.updateExecution(row);
        }, row -> notActive(row));
    }

    @Override
    public Mono<Completed> complete(CompleteExecution request) {
        Mono<Completed> judged = leased(request.executionId(), request.fence(),
                (tx, row) -> completeHeld(tx, row, request), LeaseOps::completeReplayed);
        if (!store.completesGranted()) {
            return judged;
        }
        return Mono.defer(() -> {
            long now = clock.millis();
            return store.completeGranted(List.of(request), new CompletionGrant(now)).hasElements()
                    .flatMap(done -> done ? Mono.just(new Completed(request.executionId(), Snapshots.instant(now),
                            false)) : judged);
        });
    }

    @Override
    public Flux<BatchItem<Completed>> completeBatch(List<CompleteExecution> requests) {
        return Flux.defer(() -> {
            if (requests == null || requests.isEmpty() || requests.size() > 1000
                    || requests.stream().anyMatch(Objects::isNull)) {
                return Flux.error(new ValidationException(ValidationException.Kind.INVALID_INPUT,
                        "completeBatch needs 1 to 1000 requests and no null"));
            }
            List<Integer> all = IntStream.range(0, requests.size()).boxed().toList();
            if (!store.completesGranted()) {
                return completeJudged(requests, all);
            }
            long now = clock.millis();
            return store.completeGranted(requests, new CompletionGrant(now)).collect(Collectors.toSet())
                    .flatMapMany(done -> {
                        List<Integer> rest = all.stream().filter(i -> !done.contains(i)).toList();
                        Flux<BatchItem<Completed>> completed = Flux.fromIterable(all).filter(done::contains)
                                .map(i -> BatchItem.success(i, new Completed(requests.get(i).executionId(),
                                        Snapshots.instant(now), false)));
                        return rest.isEmpty() ? completed
                                : Flux.merge(completed, completeJudged(requests, rest))
                                        .sort(Comparator.comparingInt(BatchItem::index));
                    });
        });
    }

    /**
     * Completes the requests at {@code indexes} judged by the core: optimistically, then under row locks for
     * the executions that changed in between. Items in {@code indexes} order.
     */
    private Flux<BatchItem<Completed>> completeJudged(List<CompleteExecution> requests, List<Integer> indexes) {
        return Flux.defer(() -> store.optimistic(tx -> completeAll(tx, requests, indexes)).flatMapMany(tried -> {
            List<BatchItem<Completed>> items = new ArrayList<>(tried.value());
            List<Integer> redo = indexes.stream()
                    .filter(i -> tried.conflicts().contains(requests.get(i).executionId())).toList();
            if (redo.isEmpty()) {
                return Flux.fromIterable(items);
            }
            // Those executions changed after they were read; nothing was written for them.
            return store.inTransaction(tx -> completeAll(tx, requests, redo)).flatMapIterable(redone -> {
                redone.forEach(item -> items.set(indexes.indexOf(item.index()), item));
                return items;
            });
        }));
    }

    /** Completes the requests at {@code indexes}, each judged on its own; items in {@code indexes} order. */
    private Mono<List<BatchItem<Completed>>> completeAll(StoreTx tx, List<CompleteExecution> requests,
            List<Integer> indexes) {
        List<ExecutionId> ids = indexes.stream().map(i -> requests.get(i).executionId()).toList();
        return tx.lockExecutions(ids)
                .collectMap(ExecutionRow::id)
                .flatMap(rows -> Flux.fromIterable(indexes)
                        .concatMap(i -> completeItem(tx, rows.get(requests.get(i).executionId()), requests.get(i), i))
                        .collectList());
    }

    /**
     * One request of a batch. Its own errors (missing execution, fence, not active) become its item; an
     * error while writing fails the whole transaction.
     */
    private Mono<BatchItem<Completed>> completeItem(StoreTx tx, ExecutionRow row, CompleteExecution request,
            int index) {
        if (row == null) {
            return Mono.just(BatchItem.failure(index, new NotFoundException("execution",
                    request.executionId().toString())));
        }
        FenceCheck.Verdict verdict;
        try {
            verdict = FenceCheck.check(row, request.fence(), clock.millis());
        } catch (EngineException e) {
            return Mono.just(BatchItem.failure(index, e));
        }
        if (verdict == FenceCheck.Verdict.HOLDS_LEASE) {
            return completeHeld(tx, row, request).map(done -> BatchItem.success(index, done));
        }
        return completeReplayed(row).map(done -> BatchItem.success(index, done))
                .onErrorResume(EngineException.class, e -> Mono.just(BatchItem.failure(index, e)));
    }

    private Mono<Completed> completeHeld(StoreTx tx, ExecutionRow row, CompleteExecution request) {
        long now = clock.millis();
        finish(row, Transition.COMPLETE, now);
        row.result = request.result().bytes();
        return tx.updateExecution(row)
                .then(released(tx, row, now))
                .then(Attempts.end(tx, row, AttemptLifecycle.ENDED_SUCCESS, now, null, null))
                .thenReturn(new Completed(row.id(), Snapshots.instant(now), false));
    }

    private static Mono<Completed> completeReplayed(ExecutionRow row) {
        return row.terminalOutcome == TerminalOutcome.SUCCESS
                ? Mono.just(new Completed(row.id(), Snapshots.instant(row.terminalAtMs), true))
                : notActive(row);
    }

    @Override
    public Mono<FailOutcome> fail(FailExecution request) {
        return leased(request.executionId(), request.fence(), (tx, row) -> {
            long now = clock.millis();
            FailOutcome outcome = RetryDecision.apply(row, now);
            row.lastErrorType = request.errorType();
            row.lastErrorMessage = request.message();
            return tx.updateExecution(row)
                    .then(released(tx, row, now))
                    .then(Attempts.end(tx, row, AttemptLifecycle.ENDED_FAILURE, now, request.errorType(),
                            request.message()))
                    .thenReturn(outcome);
        }, row -> {
            if (row.terminalOutcome == TerminalOutcome.FAILED) {
                return Mono.just(new FailOutcome.TerminalFailed(row.id()));
            }
            if (row.lifecyclePhase == LifecyclePhase.RUNNABLE
                    && row.attemptState == AttemptState.PENDING_RETRY_ATTEMPT) {
                return Mono.just(new FailOutcome.RetryScheduled(Snapshots.instant(row.eligibleAtMs),
                        row.totalAttemptCount));
            }
            return notActive(row);
        });
    }

    @Override
    public Mono<Void> cancel(CancelLeased request) {
        return leased(request.executionId(), request.fence(), (tx, row) -> {
            long now = clock.millis();
            finish(row, Transition.WORKER_CANCEL, now);
            row.cancellationReason = request.reason() == null ? "cancelled by worker" : request.reason();
            return tx.updateExecution(row)
                    .then(released(tx, row, now))
                    .then(Attempts.end(tx, row, AttemptLifecycle.ENDED_CANCELLED, now, "cancelled",
                            row.cancellationReason));
        }, row -> row.terminalOutcome == TerminalOutcome.CANCELLED ? Mono.empty() : notActive(row));
    }

    @Override
    public Mono<Void> delay(DelayExecution request) {
        return leased(request.executionId(), request.fence(), (tx, row) -> {
            long now = clock.millis();
            long until = request.until().toEpochMilli();
            if (until > now + ExecutionPolicy.MAX_DURATION.toMillis()) {
                return Mono.error(new ValidationException(ValidationException.Kind.INVALID_DELAY,
                        "delay until " + request.until() + " is more than 365 days ahead"));
            }
            row.setState(Transition.DELAY.apply(row.lifecyclePhase));
            row.eligibleAtMs = until;
            row.leaseExpiresAtMs = null;
            row.updatedAtMs = now;
            return tx.updateExecution(row).then(released(tx, row, now)).then(Attempts.pause(tx, row));
        }, row -> row.lifecyclePhase == LifecyclePhase.RUNNABLE
                && row.blockingReason == BlockingReason.WAITING_FOR_DELAY ? Mono.empty() : notActive(row));
    }

    /**
     * Appends the lease {@code released} event and, when the release ended the execution, its completion
     * event.
     */
    static Mono<Void> released(StoreTx tx, ExecutionRow row, long now) {
        Mono<Void> lease = tx.appendEvent(Events.lease(row, LeaseEvent.Type.RELEASED, now));
        return row.lifecyclePhase == LifecyclePhase.TERMINAL
                ? lease.then(tx.appendEvent(Events.completion(row, now)))
                : lease;
    }

    /** Marks a row terminal by {@code transition}, releasing its lease but keeping the fence for replays. */
    static void finish(ExecutionRow row, Transition transition, long now) {
        row.setState(transition.apply(row.lifecyclePhase));
        row.terminalAtMs = now;
        row.leaseExpiresAtMs = null;
        row.attemptDeadlineAtMs = null;
        row.updatedAtMs = now;
    }

    private <T> Mono<T> leased(ExecutionId id, LeaseFence fence, BiFunction<StoreTx, ExecutionRow, Mono<T>> action,
            Function<ExecutionRow, Mono<T>> replay) {
        return Fenced.optimistic(store, clock, id, fence, action, replay);
    }

    static <T> Mono<T> notActive(ExecutionRow row) {
        return Mono.error(new ExecutionNotActiveException(row.id().toString(), row.lifecyclePhase,
                row.terminalOutcome));
    }
}
