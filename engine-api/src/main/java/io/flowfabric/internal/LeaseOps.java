package io.flowfabric.internal;

import io.flowfabric.api.*;
import java.time.Clock;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

final class LeaseOps implements Leases {
    LeaseOps(Store store, Clock clock) {
    }

    public Mono<ClaimedExecution> claim(ClaimRequest request) { return Mono.error(new UnsupportedOperationException()); }
    public Flux<ClaimedExecution> claimBatch(ClaimRequest request, int max) { return Flux.error(new UnsupportedOperationException()); }
    public Mono<LeaseRenewal> renew(RenewLease request) { return Mono.error(new UnsupportedOperationException()); }
    public Mono<Void> progress(ReportProgress request) { return Mono.error(new UnsupportedOperationException()); }
    public Mono<Completed> complete(CompleteExecution request) { return Mono.error(new UnsupportedOperationException()); }
    public Mono<FailOutcome> fail(FailExecution request) { return Mono.error(new UnsupportedOperationException()); }
    public Mono<Void> cancel(CancelLeased request) { return Mono.error(new UnsupportedOperationException()); }
    public Mono<Void> delay(DelayExecution request) { return Mono.error(new UnsupportedOperationException()); }
}
