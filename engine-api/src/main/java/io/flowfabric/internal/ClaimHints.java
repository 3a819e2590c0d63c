package io.flowfabric.internal;

import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * One shared subscription to the store's claim hints, fanned out to every worker of the engine. A failed
 * hint stream (its notification connection gave up) is resubscribed with backoff for as long as someone
 * listens; the workers' polling covers the gap.
 */
final class ClaimHints {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Flux<LaneKey> shared;

    ClaimHints(Store store) {
        this.shared = Flux.defer(store::claimHints)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_BACKOFF).maxBackoff(MAX_BACKOFF))
                .publish()
                .refCount();
    }

    /** Hints that concern {@code namespace}/{@code lane}. */
    Flux<LaneKey> forLane(String namespace, String lane) {
        return shared.filter(hint -> hint.matches(namespace, lane));
    }
}
