package io.flowfabric.runtime;

/**
 * Counters of one {@link WorkerRuntime} since it was built.
 *
 * @param claimed executions claimed
 * @param completed executions completed by this worker (acknowledged by the engine)
 * @param failed attempts this worker reported as failed (acknowledged by the engine), whether a retry
 *     was scheduled or the execution failed for good
 * @param waiting executions claimed ahead of a free slot (prefetched), waiting for their handler to start
 * @param running executions whose handler is running, at most the configured concurrency
 * @param inFlight executions claimed and not yet finished: waiting, running, or ended with their outcome
 *     still being reported; at most twice the concurrency plus the prefetch
 * @param leasesLost attempts abandoned because their lease was lost (expired, revoked, or the execution
 *     was cancelled); nothing was reported for them
 * @param reportErrors outcomes that could not be reported after retries; the lease lapses and the
 *     execution is reclaimed
 */
public record WorkerStats(long claimed, long completed, long failed, int waiting, int running, int inFlight,
        long leasesLost, long reportErrors) {
}
