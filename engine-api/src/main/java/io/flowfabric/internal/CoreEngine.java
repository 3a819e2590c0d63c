package io.flowfabric.internal;

import io.flowfabric.api.Engine;
import io.flowfabric.api.Executions;
import io.flowfabric.api.Leases;
import io.flowfabric.api.feed.Feeds;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.reconcile.Reconcilers;
import io.flowfabric.api.signal.Signals;
import io.flowfabric.api.signal.SigningKey;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The engine over any {@link Store}: it holds every decision about states, fences, retries and
 * idempotency, so the backends only persist rows.
 */
public final class CoreEngine implements Engine {
    private static final Logger log = LoggerFactory.getLogger(CoreEngine.class);

    private final Store store;
    private final Clock clock;
    private final String backend;
    private final Executions executions;
    private final Leases leases;
    private final FeedEngine feeds;
    private final ReconcilerSet reconcilers;
    private final Signals signals;

    private CoreEngine(Store store, Clock clock, String backend, FeedSettings feedSettings,
            ReconcilerSettings reconcilerSettings) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.executions = new ExecutionOps(store, clock);
        this.leases = new LeaseOps(store, clock);
        this.feeds = new FeedEngine(store.feeds(), executions, backend, feedSettings, Schedulers.parallel());
        this.signals = new SignalOps(store, clock);
        this.reconcilers = new ReconcilerSet(store, clock, Schedulers.parallel(), reconcilerSettings);
        if (reconcilerSettings.enabled()) {
            reconcilers.start();
        }
    }

    /**
     * An engine that persists through {@code store}, reading time from {@code clock}, with default feed
     * settings and its reconcilers running.
     */
    public static Engine create(Store store, Clock clock, String backend) {
        return create(store, clock, backend, FeedSettings.DEFAULT, ReconcilerSettings.defaults());
    }

    /** As {@link #create(Store, Clock, String)}, with explicit feed settings. */
    public static Engine create(Store store, Clock clock, String backend, FeedSettings feedSettings) {
        return create(store, clock, backend, feedSettings, ReconcilerSettings.defaults());
    }

    /** As {@link #create(Store, Clock, String)}, with explicit feed and reconciler settings. */
    public static Engine create(Store store, Clock clock, String backend, FeedSettings feedSettings,
            ReconcilerSettings reconcilerSettings) {
        return new CoreEngine(store, clock, backend, feedSettings, reconcilerSettings);
    }

    /**
     * Seeds the configured signing keys, then creates the engine as
     * {@link #create(Store, Clock, String, FeedSettings, ReconcilerSettings)} does. The keys are seeded
     * in list order, all in one transaction, each as {@link Signals#seedSigningKey} does: a kid already
     * stored with the same secret is left unchanged; a new kid is installed, as the current key only when
     * no key is current yet (so on an empty table the first key becomes current). When a kid is stored
     * with another secret, nothing is written, the store is closed and the {@code ConflictException} is
     * emitted; no reconciler has started.
     */
    public static Mono<Engine> start(Store store, Clock clock, String backend, FeedSettings feedSettings,
            ReconcilerSettings reconcilerSettings, List<SigningKey> signingKeys) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(signingKeys, "signingKeys");
        return new SigningKeys(store, clock).seedAll(signingKeys)
                .doOnNext(installed -> {
                    if (!installed.isEmpty()) {
                        log.info("Installed waitpoint signing keys {} from configuration", installed);
                    }
                })
                .then(Mono.fromCallable(() -> create(store, clock, backend, feedSettings, reconcilerSettings)))
                .onErrorResume(error -> store.close()
                        .onErrorResume(closeError -> {
                            error.addSuppressed(closeError);
                            return Mono.empty();
                        })
                        .then(Mono.error(error)));
    }

    @Override
    public Executions executions() {
        return executions;
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public Feeds feeds() {
        return feeds;
    }

    @Override
    public Signals signals() {
        return signals;
    }

    @Override
    public Reconcilers reconcilers() {
        return reconcilers;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public String backend() {
        return backend;
    }

    @Override
    public Mono<Void> shutdown() {
        return Mono.fromRunnable(() -> {
            reconcilers.stop();
            feeds.close();
        }).then(store.close());
    }
}
