package io.flowfabric.internal;

import io.flowfabric.api.CancelExecution;
import io.flowfabric.api.Cancelled;
import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.CreateResult;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.ExecutionSnapshot;
import io.flowfabric.api.ExecutionSummary;
import io.flowfabric.api.Executions;
import io.flowfabric.api.ListExecutions;
import io.flowfabric.api.Page;
import io.flowfabric.api.Payload;
import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.feed.OperatorEvent;
import io.flowfabric.api.state.AttemptLifecycle;
import io.flowfabric.api.state.AttemptState;
import io.flowfabric.api.state.LifecyclePhase;
import io.flowfabric.api.state.TerminalOutcome;
import io.flowfabric.api.state.Transition;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/** Producer and operator operations. */
final class ExecutionOps implements Executions {
    private final Store store;
    private final Clock clock;

    ExecutionOps(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Mono<CreateResult> create(CreateExecution request) {
        return Mono.defer(() -> {
            long now = clock.millis();
            ExecutionRow row = NewExecution.row(request, now);
            ExecutionId id = row.id();
            String key = request.idempotencyKey();
            if (key == null) {
                // Only the insert: one statement, no transaction needed around it.
                return store.singleStatement(tx -> tx.insertExecution(row)).map(inserted -> inserted(row, inserted));
            }
            return store.inTransaction(tx -> tx.reserveIdempotencyKey(row.namespace, key, id,
                            now + request.policy().dedupWindow().toMillis(), now)
                    .flatMap(owner -> owner.equals(id)
                            ? tx.insertExecution(row).map(inserted -> inserted(row, inserted))
                            : Mono.just(new CreateResult.Duplicate(owner))));
        });
    }

    /** Created, or a duplicate when a row with the new id already existed. */
    private static CreateResult inserted(ExecutionRow row, boolean inserted) {
        return inserted ? new CreateResult.Created(row.id(), row.publicState) : new CreateResult.Duplicate(row.id());
    }

    @Override
    public Mono<ExecutionSnapshot> describe(ExecutionId executionId) {
        return Mono.defer(() -> {
            require(executionId);
            long now = clock.millis();
            return store.read(r -> r.findExecution(executionId)
                    .switchIfEmpty(notFound(executionId))
                    .flatMap(row -> r.findAttempts(executionId).collectList()
                            .map(attempts -> Snapshots.snapshot(row, attempts, now))));
        });
    }

    @Override
    public Mono<Page<ExecutionSummary>> list(ListExecutions request) {
        return Mono.defer(() -> {
            if (request.limit() == 0) {
                return Mono.just(new Page<>(List.of(), null));
            }
            long now = clock.millis();
            ListCursor after = request.cursor() == null ? null : ListCursor.decode(request.cursor());
            ListQuery query = new ListQuery(
                    request.namespace() == null ? null : request.namespace().value(),
                    request.lane() == null ? null : request.lane().value(),
                    request.publicState(), now,
                    after == null ? null : after.createdAtMs(),
                    after == null ? null : after.partitionKey(),
                    after == null ? null : after.executionId(),
                    request.limit());
            return store.read(r -> r.listExecutions(query).collectList()).map(rows -> {
                List<ExecutionSummary> items = rows.stream().map(row -> Snapshots.summary(row, now)).toList();
                String next = null;
                if (rows.size() == request.limit()) {
                    ExecutionRow last = rows.get(rows.size() - 1);
                    next = new ListCursor(last.createdAtMs, last.partitionKey, last.executionId).encode();
                }
                return new Page<>(items, next);
            });
        });
    }

    @Override
    public Mono<Payload> result(ExecutionId executionId) {
        return Mono.defer(() -> {
            require(executionId);
            return store.read(r -> r.findExecution(executionId))
                    .switchIfEmpty(notFound(executionId))
                    .filter(row -> row.terminalOutcome == TerminalOutcome.SUCCESS)
                    .map(row -> row.result == null ? Payload.EMPTY : Payload.of(row.result));
        });
    }

    @Override
    public Mono<Cancelled> cancel(CancelExecution request) {
        return Mono.defer(() -> {
            long now = clock.millis();
            ExecutionId id = request.executionId();
            return store.inTransaction(tx -> tx.lockExecution(id)
                    .switchIfEmpty(notFound(id))
                    .flatMap(row -> cancelRow(tx, row, request.reason(), now)));
        });
    }

    private Mono<Cancelled> cancelRow(StoreTx tx, ExecutionRow row, String reason, long now) {
        if (row.lifecyclePhase == LifecyclePhase.TERMINAL) {
            if (row.terminalOutcome == TerminalOutcome.CANCELLED) {
                return Mono.just(new Cancelled(row.id(), true));
            }
            return Mono.error(new ConflictException("execution " + row.id() + " already ended "
                    + row.terminalOutcome.literal()));
        }
        Mono<Void> closeSuspension = SuspensionTimeouts.closeOpen(tx, row, "cancelled", now);
        boolean wasLeased = row.lifecyclePhase == LifecyclePhase.ACTIVE;
        boolean attemptOpen = wasLeased || row.attemptState == AttemptState.ATTEMPT_INTERRUPTED;
        row.setState(Transition.OPERATOR_CANCEL.apply(row.lifecyclePhase));
        row.cancellationReason = reason == null ? "cancelled by operator" : reason;
        row.terminalAtMs = now;
        row.leaseExpiresAtMs = null;
        row.attemptDeadlineAtMs = null;
        row.updatedAtMs = now;
        Mono<Void> endAttempt = attemptOpen
                ? Attempts.end(tx, row, AttemptLifecycle.ENDED_CANCELLED, now, "cancelled", row.cancellationReason)
                : Mono.empty();
        Mono<Void> revoked = wasLeased
                ? tx.appendEvent(Events.lease(row, LeaseEvent.Type.REVOKED, now))
                : Mono.empty();
        return closeSuspension
                .then(tx.updateExecution(row))
                .then(tx.appendEvent(Events.operator(row, OperatorEvent.Type.CANCELLED,
                        Map.of("reason", row.cancellationReason), now)))
                .then(revoked)
                .then(tx.appendEvent(Events.completion(row, now)))
                .then(endAttempt)
                .thenReturn(new Cancelled(row.id(), false));
    }

    static <T> Mono<T> notFound(ExecutionId id) {
        return Mono.error(() -> new NotFoundException("execution", id.toString()));
    }

    private static void require(ExecutionId id) {
        if (id == null) {
            throw new ValidationException(ValidationException.Kind.INVALID_INPUT, "execution id is required");
        }
    }


    @Override
    public Mono<io.flowfabric.api.RevokeResult> revokeLease(io.flowfabric.api.RevokeLease request) {
        return Mono.defer(() -> RevokeOp.revoke(store, request, clock.millis()));
    }
}
