package io.flowfabric.runtime;

import io.flowfabric.api.*;
import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.ExecutionNotActiveException;
import io.flowfabric.api.error.LeaseExpiredException;
import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.StaleLeaseException;
import io.flowfabric.api.policy.ExecutionPolicy;
import io.flowfabric.api.policy.RetryPolicy;
import io.flowfabric.api.state.*;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A minimal engine held in memory, enough to exercise {@link WorkerRuntime} without a database: claim,
 * renew, complete, fail with retry, operator cancel, describe and result. Every call runs on a
 * bounded-elastic thread, as a backend's calls complete on its own threads. It is a test fixture for the
 * runtime, not a backend: lease expiry is only detected by the lease holder's next call.
 */
final class InMemoryEngine implements Engine, Executions, Leases {
    private enum Status { WAITING, DELAYED, ACTIVE, COMPLETED, FAILED, CANCELLED }

    private static final class Row {
        ExecutionId id;
        CreateExecution request;
        long seq;
        Instant createdAt;
        Status status;
        Instant eligibleAt;
        int retryCount;
        long epoch;
        LeaseId leaseId;
        Instant leaseExpiresAt;
        WorkerInstanceId owner;
        Payload result;
        final List<AttemptInfo> attempts = new ArrayList<>();
    }

    private final Map<ExecutionId, Row> rows = new LinkedHashMap<>();
    private final Clock clock = Clock.systemUTC();
    private long seq;

    @Override public Executions executions() { return this; }
    @Override public Leases leases() { return this; }
    @Override public Clock clock() { return clock; }
    @Override public String backend() { return "in-memory"; }
    @Override public Mono<Void> shutdown() { return Mono.empty(); }

    @Override
    public Mono<CreateResult> create(CreateExecution request) {
        return call(() -> {
            Row row = new Row();
            row.id = request.executionId() != null ? request.executionId() : ExecutionId.solo(request.lane());
            row.request = request;
            row.seq = seq++;
            row.createdAt = clock.instant();
            row.status = Status.WAITING;
            rows.put(row.id, row);
            return new CreateResult.Created(row.id, PublicState.WAITING);
        });
    }

    @Override
    public Mono<ExecutionSnapshot> describe(ExecutionId id) {
        return call(() -> snapshot(find(id)));
    }

    @Override
    public Mono<Page<ExecutionSummary>> list(ListExecutions request) {
        return call(() -> new Page<>(rows.values().stream()
                .filter(r -> request.lane() == null || r.request.lane().equals(request.lane()))
                .filter(r -> request.publicState() == null || publicState(r) == request.publicState())
                .limit(request.limit())
                .map(r -> new ExecutionSummary(r.id, r.request.kind(), r.request.lane(), r.request.namespace(),
                        publicState(r), r.request.policy().priority(), r.createdAt))
                .toList(), null));
    }

    @Override
    public Mono<Payload> result(ExecutionId id) {
        return call(() -> find(id).result);
    }

    @Override
    public Mono<Cancelled> cancel(CancelExecution request) {
        return call(() -> {
            Row row = find(request.executionId());
            if (row.status == Status.COMPLETED || row.status == Status.FAILED) {
                throw new ConflictException("execution " + row.id + " already ended");
            }
            boolean already = row.status == Status.CANCELLED;
            if (row.status == Status.ACTIVE) {
                endAttempt(row, AttemptLifecycle.ENDED_CANCELLED, null, null);
            }
            row.status = Status.CANCELLED;
            return new Cancelled(row.id, already);
        });
    }

    @Override
    public Mono<ClaimedExecution> claim(ClaimRequest request) {
        return claimBatch(request, 1).next();
    }

    @Override
    public Flux<ClaimedExecution> claimBatch(ClaimRequest request, int max) {
        return call(() -> {
            Instant now = clock.instant();
            List<Row> claimable = rows.values().stream()
                    .filter(r -> r.request.lane().equals(request.lane())
                            && r.request.namespace().equals(request.namespace()))
                    .filter(r -> r.status == Status.WAITING
                            || (r.status == Status.DELAYED && !r.eligibleAt.isAfter(now)))
                    .sorted(Comparator.comparingInt((Row r) -> -r.request.policy().priority())
                            .thenComparingLong(r -> r.seq))
                    .limit(max)
                    .toList();
            List<ClaimedExecution> claimed = new ArrayList<>();
            for (Row row : claimable) {
                claimed.add(lease(row, request, now));
            }
            return claimed;
        }).flatMapIterable(list -> list);
    }

    private ClaimedExecution lease(Row row, ClaimRequest request, Instant now) {
        row.status = Status.ACTIVE;
        row.epoch++;
        row.leaseId = LeaseId.random();
        row.leaseExpiresAt = now.plus(request.leaseTtl());
        row.owner = request.workerInstanceId();
        int index = row.attempts.size();
        AttemptType type = index == 0 ? AttemptType.INITIAL : AttemptType.RETRY;
        AttemptInfo attempt = new AttemptInfo(index, AttemptId.random(), type, AttemptLifecycle.STARTED, row.epoch,
                request.workerId(), request.workerInstanceId(), now, null, null, null);
        row.attempts.add(attempt);
        LeaseFence fence = new LeaseFence(row.leaseId, row.epoch, attempt.attemptId());
        return new ClaimedExecution(row.id, row.request.kind(), row.request.lane(), row.request.namespace(),
                row.request.payload(), row.request.tags(), row.request.policy().priority(), fence, index, type,
                false, row.leaseExpiresAt, null);
    }

    @Override
    public Mono<LeaseRenewal> renew(RenewLease request) {
        return call(() -> {
            Row row = fenced(request.executionId(), request.fence());
            row.leaseExpiresAt = clock.instant().plus(request.ttl());
            return new LeaseRenewal(row.leaseExpiresAt, row.epoch);
        });
    }

    @Override
    public Mono<Void> progress(ReportProgress request) {
        return call(() -> fenced(request.executionId(), request.fence())).then();
    }

    @Override
    public Mono<Completed> complete(CompleteExecution request) {
        return call(() -> {
            Row row = fenced(request.executionId(), request.fence());
            row.status = Status.COMPLETED;
            row.result = request.result();
            endAttempt(row, AttemptLifecycle.ENDED_SUCCESS, null, null);
            return new Completed(row.id, clock.instant(), false);
        });
    }

    @Override
    public Mono<FailOutcome> fail(FailExecution request) {
        return call(() -> {
            Row row = fenced(request.executionId(), request.fence());
            endAttempt(row, AttemptLifecycle.ENDED_FAILURE, request.errorType(), request.message());
            RetryPolicy retry = row.request.policy().retry();
            if (retry != null && retry.allowsRetry(row.retryCount)) {
                row.status = Status.DELAYED;
                row.eligibleAt = clock.instant().plus(retry.delayFor(row.retryCount, row.seq));
                row.retryCount++;
                return new FailOutcome.RetryScheduled(row.eligibleAt, row.attempts.size());
            }
            row.status = Status.FAILED;
            return new FailOutcome.TerminalFailed(row.id);
        });
    }

    @Override
    public Mono<Void> cancel(CancelLeased request) {
        return call(() -> {
            Row row = fenced(request.executionId(), request.fence());
            endAttempt(row, AttemptLifecycle.ENDED_CANCELLED, null, null);
            row.status = Status.CANCELLED;
            return row;
        }).then();
    }

    @Override
    public Mono<Void> delay(DelayExecution request) {
        return Mono.error(new UnsupportedOperationException("delay is not needed by the worker runtime"));
    }

    private <T> Mono<T> call(Callable<T> work) {
        return Mono.fromCallable(() -> {
            synchronized (rows) {
                return work.call();
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private Row find(ExecutionId id) {
        Row row = rows.get(id);
        if (row == null) {
            throw new NotFoundException("execution", id.toString());
        }
        return row;
    }

    private Row fenced(ExecutionId id, LeaseFence fence) {
        Row row = find(id);
        if (row.status != Status.ACTIVE) {
            throw new ExecutionNotActiveException(id.toString(), phase(row), outcome(row));
        }
        if (row.epoch != fence.leaseEpoch() || !row.leaseId.equals(fence.leaseId())) {
            throw new StaleLeaseException(id.toString(), "epoch " + fence.leaseEpoch() + " is not " + row.epoch);
        }
        if (clock.instant().isAfter(row.leaseExpiresAt)) {
            throw new LeaseExpiredException(id.toString());
        }
        return row;
    }

    private void endAttempt(Row row, AttemptLifecycle lifecycle, String errorType, String message) {
        int last = row.attempts.size() - 1;
        AttemptInfo a = row.attempts.get(last);
        row.attempts.set(last, new AttemptInfo(a.attemptIndex(), a.attemptId(), a.attemptType(), lifecycle,
                a.leaseEpoch(), a.workerId(), a.workerInstanceId(), a.startedAt(), clock.instant(), errorType, message));
        row.leaseId = null;
        row.owner = null;
    }

    private ExecutionSnapshot snapshot(Row row) {
        AttemptInfo last = row.attempts.isEmpty() ? null : row.attempts.get(row.attempts.size() - 1);
        StateVector vector = new StateVector(phase(row),
                row.status == Status.ACTIVE ? OwnershipState.LEASED : OwnershipState.UNOWNED,
                row.status == Status.DELAYED ? EligibilityState.NOT_ELIGIBLE_UNTIL_TIME
                        : row.status == Status.WAITING ? EligibilityState.ELIGIBLE_NOW : EligibilityState.NOT_APPLICABLE,
                row.status == Status.DELAYED ? BlockingReason.WAITING_FOR_RETRY_BACKOFF : BlockingReason.NONE,
                outcome(row),
                row.status == Status.ACTIVE ? AttemptState.RUNNING_ATTEMPT
                        : row.status == Status.DELAYED ? AttemptState.PENDING_RETRY_ATTEMPT
                        : row.status == Status.WAITING ? AttemptState.PENDING_FIRST_ATTEMPT : AttemptState.ATTEMPT_TERMINAL);
        ExecutionPolicy policy = row.request.policy();
        CurrentLease lease = row.status == Status.ACTIVE
                ? new CurrentLease(row.leaseId, row.epoch, last.workerId(), row.owner, row.leaseExpiresAt) : null;
        return new ExecutionSnapshot(row.id, row.request.kind(), row.request.lane(), row.request.namespace(),
                policy.priority(), vector, publicState(row), policy, row.request.tags(), row.createdAt,
                row.status == Status.DELAYED ? row.eligibleAt : null, null, null, null,
                last == null ? null : last.attemptIndex(), row.attempts.size(), row.retryCount, 0, lease, null, null,
                last == null ? null : last.errorType(), last == null ? null : last.errorMessage(), null,
                List.copyOf(row.attempts));
    }

    private static PublicState publicState(Row row) {
        return PublicState.valueOf(row.status.name());
    }

    private static LifecyclePhase phase(Row row) {
        return switch (row.status) {
            case WAITING, DELAYED -> LifecyclePhase.RUNNABLE;
            case ACTIVE -> LifecyclePhase.ACTIVE;
            default -> LifecyclePhase.TERMINAL;
        };
    }

    private static TerminalOutcome outcome(Row row) {
        return switch (row.status) {
            case COMPLETED -> TerminalOutcome.SUCCESS;
            case FAILED -> TerminalOutcome.FAILED;
            case CANCELLED -> TerminalOutcome.CANCELLED;
            default -> TerminalOutcome.NONE;
        };
    }
}
