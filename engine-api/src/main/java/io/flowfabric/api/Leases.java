package io.flowfabric.api;

import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The worker side: claim executions and act on them under a lease. Every lease-bound call carries the
 * fence from the claim; a fence that is no longer current fails with a
 * {@link io.flowfabric.api.error.LeaseException} and changes nothing. {@code complete} and {@code fail}
 * repeated after a lost response are recognised and never applied twice.
 */
public interface Leases {

    /**
     * Claims the highest-priority, oldest claimable execution in the lane and namespace whose required
     * capabilities the worker offers; empty when there is none. Creates attempt 0 ({@code initial}) on the
     * first claim, a {@code retry} attempt after a failure, and re-leases the same attempt after a delay;
     * every claim increments the lease epoch.
     */
    Mono<ClaimedExecution> claim(ClaimRequest request);

    /** Claims up to {@code max} executions (1-1000) in one transaction; completes empty when there is none. */
    Flux<ClaimedExecution> claimBatch(ClaimRequest request, int max);

    /**
     * Claim hints for the request's namespace and lane: a hot, never-ending stream with an element each time
     * executions may have become claimable there (one was created or resumed, a lease lapsed), so an idle
     * worker can claim at once instead of waiting for its next poll. Hints are best effort (late, repeated
     * or lost, for example while a notification connection reconnects): keep polling as well. On
     * PostgreSQL they reach every engine connected to the database; on SQLite, this engine's own changes.
     */
    default Flux<LaneId> claimHints(ClaimRequest request) {
        return Flux.never();
    }

    /** Extends the lease; the epoch is unchanged. */
    Mono<LeaseRenewal> renew(RenewLease request);

    /** Overwrites the progress percentage and message. */
    Mono<Void> progress(ReportProgress request);

    /** Ends the execution successfully with a result. */
    Mono<Completed> complete(CompleteExecution request);

    /**
     * Completes up to 1000 executions in one transaction: one {@link BatchItem} per request, emitted in
     * request order. Each request is checked and applied exactly as {@link #complete} would (a replay is
     * recognised, a stale fence changes nothing); a request's own error is reported in its item and does not
     * affect the others. The whole call fails, changing nothing, only when the store fails (for example
     * {@link io.flowfabric.api.error.TransientException} or
     * {@link io.flowfabric.api.error.UnavailableException}) or when the list is empty, longer than 1000 or
     * holds {@code null} ({@link io.flowfabric.api.error.ValidationException}).
     */
    Flux<BatchItem<Completed>> completeBatch(List<CompleteExecution> requests);

    /** Ends the attempt as failed: schedules a retry on the backoff schedule, or fails the execution. */
    Mono<FailOutcome> fail(FailExecution request);

    /** The lease holder cancels the execution. */
    Mono<Void> cancel(CancelLeased request);

    /** Releases the lease and pauses the same attempt until the given time. */
    Mono<Void> delay(DelayExecution request);

    /**
     * Reclaims an execution whose lease expired or was revoked: a new attempt of type {@code reclaim} at the
     * next index under a new lease (epoch + 1); the interrupted attempt ends {@code interrupted_reclaimed}.
     * Fails with a {@link io.flowfabric.api.error.ConflictException} when the execution is not reclaimable,
     * and with {@link io.flowfabric.api.error.ReclaimCapExceededException} (the execution then ends
     * {@code failed}) when it was reclaimed {@code max_reclaim_count} times already.
     */
    Mono<ClaimedExecution> reclaim(ReclaimExecution request);

    /**
     * Reclaims up to {@code max} reclaimable executions of the request's lane and namespace that the worker
     * can run, in claim order, in one transaction. Executions past their reclaim cap are failed and skipped.
     */
    Flux<ClaimedExecution> reclaimBatch(ClaimRequest request, int max);
}
