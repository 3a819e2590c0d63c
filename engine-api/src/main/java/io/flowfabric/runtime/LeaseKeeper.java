package io.flowfabric.runtime;

import io.flowfabric.api.ClaimedExecution;
import io.flowfabric.api.Leases;
import io.flowfabric.api.RenewLease;
import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.LeaseException;
import io.flowfabric.api.error.NotFoundException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Renews the lease of a running attempt every third of its ttl, the first renewal one period after the
 * claim. A renewal that fails transiently is logged and retried at the next tick; one that shows the
 * lease is gone (stale, expired, revoked, execution no longer active or missing) reports the loss once
 * and stops.
 */
final class LeaseKeeper {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final Leases leases;
    private final WorkerOptions options;

    LeaseKeeper(Leases leases, WorkerOptions options) {
        this.leases = leases;
        this.options = options;
    }

    /** Starts renewing; dispose the result to stop. {@code onLost} is called at most once. */
    Disposable keep(ClaimedExecution claimed, Consumer<Outcome.LeaseLost> onLost) {
        RenewLease request = new RenewLease(claimed.executionId(), claimed.fence(), options.leaseTtl());
        return Flux.interval(options.renewPeriod(), options.scheduler())
                .onBackpressureDrop()
                .concatMap(tick -> renewOnce(request))
                .take(1)
                .subscribe(onLost, error -> log.error("lease renewal of {} stopped", claimed.executionId(), error));
    }

    private Mono<Outcome.LeaseLost> renewOnce(RenewLease request) {
        return Mono.defer(() -> leases.renew(request))
                .timeout(options.renewTimeout(), options.scheduler())
                .then(Mono.<Outcome.LeaseLost>empty())
                .onErrorResume(error -> {
                    if (endsLease(error)) {
                        return Mono.just(new Outcome.LeaseLost(error));
                    }
                    log.warn("renewing the lease of {} failed; retrying at the next tick", request.executionId(),
                            error);
                    return Mono.empty();
                });
    }

    /** Whether the error means the caller no longer owns the execution, so renewing again cannot help. */
    static boolean endsLease(Throwable error) {
        return error instanceof LeaseException
                || error instanceof ConflictException
                || error instanceof NotFoundException;
    }
}
