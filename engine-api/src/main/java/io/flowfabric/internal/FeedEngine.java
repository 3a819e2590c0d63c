package io.flowfabric.internal;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.Executions;
import io.flowfabric.api.error.TransientException;
import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.api.feed.CompletionEvent;
import io.flowfabric.api.feed.FeedCursorTrimmedException;
import io.flowfabric.api.feed.FeedDisconnectedException;
import io.flowfabric.api.feed.FeedEvent;
import io.flowfabric.api.feed.FeedName;
import io.flowfabric.api.feed.FeedRequest;
import io.flowfabric.api.feed.Feeds;
import io.flowfabric.api.feed.LeaseEvent;
import io.flowfabric.api.feed.OperatorEvent;
import io.flowfabric.api.feed.SignalEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Feed subscriptions over a {@link FeedStore}. A subscription resolves its start position, then runs a
 * catch-up (settled rows after the last delivered position, page by page, each page read only when the
 * subscriber wants more) at start, on every wake-up of its feed, and every poll interval. Wake-ups that
 * arrive during a catch-up collapse into one more catch-up, so none is lost and none piles up. The last
 * delivered position lives in the subscription, so a catch-up retried after a database error resumes
 * exactly where delivery stopped: no loss, no duplicate.
 */
final class FeedEngine implements Feeds {
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final FeedStore store;
    private final Executions executions;
    private final String backend;
    private final FeedSettings settings;
    private final Scheduler timer;
    private final Sinks.Empty<Void> closed = Sinks.empty();

    FeedEngine(FeedStore store, Executions executions, String backend, FeedSettings settings, Scheduler timer) {
        this.store = store;
        this.executions = executions;
        this.backend = backend;
        this.settings = settings;
        this.timer = timer;
    }

    @Override
    public Flux<CompletionEvent> completions(FeedRequest request) {
        return subscribe(Feed.COMPLETION, request, FeedEvents::completion);
    }

    @Override
    public Flux<LeaseEvent> leaseHistory(FeedRequest request) {
        return subscribe(Feed.LEASE, request, FeedEvents::lease);
    }

    @Override
    public Flux<OperatorEvent> operatorEvents(FeedRequest request) {
        return subscribe(Feed.OPERATOR, request, FeedEvents::operator);
    }

    @Override
    public Flux<SignalEvent> signalDeliveries(FeedRequest request) {
        return subscribe(Feed.SIGNAL, request, FeedEvents::signal);
    }

    @Override
    public Mono<String> headCursor(FeedName name) {
        Feed feed = switch (name) {
            case COMPLETIONS -> Feed.COMPLETION;
            case LEASE_HISTORY -> Feed.LEASE;
            case OPERATOR_EVENTS -> Feed.OPERATOR;
            case SIGNAL_DELIVERIES -> Feed.SIGNAL;
        };
        return Mono.defer(() -> store.head(feed)).map(position -> cursor(feed, position));
    }

    @Override
    public Mono<CompletionEvent> awaitCompletion(ExecutionId executionId) {
        // The head is taken before the state is read: a completion at or before the head is found by
        // findLatest, one after it by the live tail.
        return Mono.defer(() -> store.head(Feed.COMPLETION).flatMap(head -> executions.describe(executionId)
                .flatMap(snapshot -> {
                    Flux<CompletionEvent> live = tail(Feed.COMPLETION, head, FeedRequest.fromNow(),
                            FeedEvents::completion).filter(e -> e.executionId().equals(executionId));
                    Flux<CompletionEvent> stored = !snapshot.publicState().isTerminal() ? Flux.empty()
                            : store.findLatest(Feed.COMPLETION, executionId)
                                    .map(row -> FeedEvents.completion(cursor(Feed.COMPLETION, row.position()), row))
                                    .flux();
                    return Flux.merge(stored, live).next();
                })));
    }

    @Override
    public Mono<Long> trim(Instant olderThan) {
        return Flux.fromArray(Feed.values())
                .concatMap(feed -> store.trim(feed, olderThan.toEpochMilli()))
                .reduce(0L, Long::sum);
    }

    /** Ends every subscription (they complete); called when the engine shuts down. */
    void close() {
        closed.tryEmitEmpty();
    }

    private <E extends FeedEvent> Flux<E> subscribe(Feed feed, FeedRequest request,
            BiFunction<String, OutboxRow, E> mapper) {
        return Flux.defer(() -> start(feed, request).flatMapMany(position -> tail(feed, position, request, mapper)));
    }

    private Mono<FeedPosition> start(Feed feed, FeedRequest request) {
        return switch (request.start()) {
            case NOW -> store.head(feed);
            case BEGINNING -> store.trimmedThrough(feed);
            case AFTER_CURSOR -> Mono.fromSupplier(() -> FeedCursor.decode(backend, feed, request.cursor()))
                    .flatMap(position -> store.trimmedThrough(feed).flatMap(trimmed -> position.compareTo(trimmed) < 0
                            ? Mono.error(new FeedCursorTrimmedException(feed.label()))
                            : Mono.just(position)));
        };
    }

    private <E extends FeedEvent> Flux<E> tail(Feed feed, FeedPosition start, FeedRequest request,
            BiFunction<String, OutboxRow, E> mapper) {
        return Flux.defer(() -> {
            AtomicReference<FeedPosition> last = new AtomicReference<>(start);
            AtomicLong failingSinceNanos = new AtomicLong(-1);
            return Flux.defer(() -> wakeups(feed)
                            .concatMap(tick -> catchUp(feed, last, request, mapper)
                                    .concatWith(Mono.fromRunnable(() -> failingSinceNanos.set(-1))), 1))
                    .retryWhen(retryUntilLimit(feed, last, failingSinceNanos))
                    .takeUntilOther(closed.asMono());
        });
    }

    private Flux<Object> wakeups(Feed feed) {
        Object tick = Boolean.TRUE;
        return Flux.merge(
                        Mono.just(tick),
                        store.wakeups().filter(f -> f == feed).map(f -> tick),
                        Flux.interval(settings.pollInterval(), settings.pollInterval(), timer).map(n -> tick))
                .onBackpressureLatest();
    }

    private <E extends FeedEvent> Flux<E> catchUp(Feed feed, AtomicReference<FeedPosition> last, FeedRequest request,
            BiFunction<String, OutboxRow, E> mapper) {
        return Flux.defer(() -> store.readAfter(feed, last.get(), settings.pageSize()).collectList()
                .flatMapMany(rows -> {
                    Flux<E> page = Flux.fromIterable(rows).handle((row, sink) -> {
                        last.set(row.position());
                        if (request.matches(io.flowfabric.api.Namespace.of(row.namespace), FeedEvents.tags(row))) {
                            sink.next(mapper.apply(cursor(feed, row.position()), row));
                        }
                    });
                    return rows.size() < settings.pageSize() ? page
                            : page.concatWith(catchUp(feed, last, request, mapper));
                }));
    }

    /**
     * Retries a failed catch-up or wake-up source with exponential backoff while the database keeps failing
     * for less than the disconnect limit; then fails with {@link FeedDisconnectedException} carrying the last
     * delivered cursor. Errors that are not about reachability end the feed at once.
     */
    private Retry retryUntilLimit(Feed feed, AtomicReference<FeedPosition> last, AtomicLong failingSinceNanos) {
        return Retry.from(signals -> signals.concatMap(signal -> {
            Throwable error = signal.failure();
            if (!(error instanceof UnavailableException || error instanceof TransientException)) {
                return Mono.error(error);
            }
            long now = timer.now(TimeUnit.NANOSECONDS);
            failingSinceNanos.compareAndSet(-1, now);
            if (now - failingSinceNanos.get() > settings.disconnectLimit().toNanos()) {
                String cursor = last.get().equals(FeedPosition.ZERO) ? null : cursor(feed, last.get());
                return Mono.error(new FeedDisconnectedException(feed.label(), cursor, error));
            }
            long exponent = Math.min(signal.totalRetriesInARow(), 10);
            Duration backoff = FIRST_BACKOFF.multipliedBy(1L << exponent);
            Duration remaining = settings.disconnectLimit().minusNanos(now - failingSinceNanos.get())
                    .plusMillis(1);
            Duration wait = backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff;
            return Mono.delay(wait.compareTo(remaining) > 0 ? remaining : wait, timer);
        }));
    }

    private String cursor(Feed feed, FeedPosition position) {
        return FeedCursor.encode(backend, feed, position);
    }
}
