package io.flowfabric.runtime;

import io.flowfabric.api.ClaimRequest;
import java.time.Duration;
import java.util.Map;
import reactor.core.scheduler.Scheduler;

/**
 * The validated settings of a {@link WorkerRuntime}, built by {@link WorkerRuntimeBuilder}.
 *
 * @param claimRequest lane, namespace, identity, capabilities and lease ttl of every claim
 * @param concurrency the most executions run at once
 * @param prefetch the most executions claimed ahead of a free slot, waiting in the worker with their leases
 *     renewed
 * @param handlerTimeout the longest one handler invocation may run
 * @param pollInterval the wait after a claim round that found less work than free slots
 * @param maxPollInterval the cap the wait grows to (doubling) while claims keep coming back empty
 * @param shutdownGrace how long shutdown waits for in-flight handlers before cancelling them
 * @param scheduler runs handlers, renewal ticks and every timer
 * @param handlers by execution kind
 * @param reportRetries how often a failed complete/fail call is retried before it is given up
 * @param reportBackoff the first wait between those retries (doubling)
 * @param callTimeout the longest one complete/fail call may take before it counts as failed (a renewal
 *     gets at most the lease ttl)
 * @param reclaimExpired whether free slots also take over executions whose lease expired or was revoked
 */
record WorkerOptions(
        ClaimRequest claimRequest,
        int concurrency,
        int prefetch,
        Duration handlerTimeout,
        Duration pollInterval,
        Duration maxPollInterval,
        Duration shutdownGrace,
        Scheduler scheduler,
        Map<String, ExecutionHandler> handlers,
        int reportRetries,
        Duration reportBackoff,
        Duration callTimeout,
        boolean reclaimExpired) {

    WorkerOptions {
        handlers = Map.copyOf(handlers);
    }

    Duration leaseTtl() {
        return claimRequest.leaseTtl();
    }

    Duration renewTimeout() {
        return leaseTtl().compareTo(callTimeout) < 0 ? leaseTtl() : callTimeout;
    }

    /** Renewals run every third of the lease ttl, so two may fail before the lease lapses. */
    Duration renewPeriod() {
        Duration third = leaseTtl().dividedBy(3);
        return third.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : third;
    }
}
