package io.flowfabric.postgres;

import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.LaneKey;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.retry.Retry;

/**
 * The engine's one LISTEN connection, shared by every feed subscriber: a dedicated, non-pooled connection
 * (a pool would hand a LISTENing connection to other work, or reset it) that listens on every feed's
 * channel and turns notifications into wake-ups.
 *
 * <p>The connection is opened by the first subscriber and kept until {@link #close()}. Per connection:
 * subscribe to the notification stream, then LISTEN (notifications are a hot stream: one sent before the
 * subscription would be lost), then emit every feed once, because notifications sent while no connection
 * listened are lost and every subscriber must re-read its table; then run {@code SELECT 1} every
 * keep-alive interval, which detects a hung server or a silently dropped connection (neither errors the
 * notification stream). Any error, a closed connection or a keep-alive timeout closes the connection and
 * opens a new one after an exponential backoff of {@value #FIRST_BACKOFF_MS} ms up to
 * {@value #MAX_BACKOFF_MS} ms.
 *
 * <p>When no connection could be (re)established for longer than the disconnect limit, the current
 * subscribers receive {@link UnavailableException}; the next subscriber starts connecting again. Nothing
 * here blocks: every wait is a timer on {@link Schedulers#parallel()}.
 */
final class PgListener {
    /** The {@code application_name} of the LISTEN connection, as {@code pg_stat_activity} shows it. */
    static final String APPLICATION_NAME = "flowfabric-listen";

    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 2_000;

    /** The lower bound of the connect timeout, for servers that need a while to authenticate. */
    private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = Loggers.getLogger(PgListener.class);

    private static final Map<String, Feed> FEEDS_BY_CHANNEL = Arrays.stream(Feed.values())
            .collect(Collectors.toUnmodifiableMap(Feed::channel, Function.identity()));

    /** The channel of claim hints (migration V6): payload {@code namespace || chr(31) || lane_id}. */
    static final String CLAIMABLE_CHANNEL = "ff_claimable";

    /**
     * One simple-protocol query that LISTENs on every feed's channel (fixed identifiers from {@link Feed})
     * and on the claim-hint channel.
     */
    static final String LISTEN_ALL = java.util.stream.Stream.concat(Arrays.stream(Feed.values()).map(Feed::channel),
                    java.util.stream.Stream.of(CLAIMABLE_CHANNEL))
            .map(channel -> "LISTEN " + channel)
            .collect(Collectors.joining("; "));

    static final String KEEP_ALIVE = "SELECT 1";

    private final PostgresqlConnectionFactory factory;
    private final Duration keepAliveInterval;
    private final Duration keepAliveTimeout;
    private final Duration connectTimeout;
    private final Duration disconnectLimit;
    private final Scheduler timer = Schedulers.parallel();

    private final Sinks.Many<LaneKey> hints = Sinks.many().multicast().directBestEffort();
    private final Object lock = new Object();
    private Generation current;
    private boolean closed;

    PgListener(PostgresqlConnectionFactory factory, Duration keepAliveInterval, Duration keepAliveTimeout,
            Duration disconnectLimit) {
        this.factory = factory;
        this.keepAliveInterval = keepAliveInterval;
        this.keepAliveTimeout = keepAliveTimeout;
        this.connectTimeout = connectTimeout(keepAliveTimeout);
        this.disconnectLimit = disconnectLimit;
    }

    /** How long opening the connection and LISTENing may take: the keep-alive timeout, at least 5 s. */
    static Duration connectTimeout(Duration keepAliveTimeout) {
        return keepAliveTimeout.compareTo(MIN_CONNECT_TIMEOUT) > 0 ? keepAliveTimeout : MIN_CONNECT_TIMEOUT;
    }

    /**
     * The shared wake-up stream: a feed after each notification of its channel, and every feed after each
     * successful (re)LISTEN. Subscribing starts the connection when none is running. Completes on
     * {@link #close()}; errors with {@link UnavailableException} after the disconnect limit.
     */
    Flux<Feed> wakeups() {
        return Flux.defer(() -> {
            Generation generation;
            synchronized (lock) {
                if (closed) {
                    return Flux.empty();
                }
                if (current == null) {
                    current = new Generation();
                }
                generation = current;
            }
            generation.startOnce();
            return generation.sink.asFlux();
        });
    }

    /**
     * Claim hints from every engine on the database, and {@link LaneKey#ANY} after each successful
     * (re)LISTEN (hints sent while the connection was down are lost). Subscribing keeps the LISTEN
     * connection running like a feed subscriber does; errors as {@link #wakeups()} does.
     */
    Flux<LaneKey> claimHints() {
        return Flux.defer(() -> {
            Mono<Void> ended = wakeups().then().cache();
            return Flux.merge(hints.asFlux().takeUntilOther(ended), ended.then(Mono.<LaneKey>empty()));
        });
    }

    /** Stops listening and closes the connection; later subscribers get an empty stream. Idempotent. */
    Mono<Void> close() {
        return Mono.defer(() -> {
            Generation generation;
            synchronized (lock) {
                closed = true;
                generation = current;
                current = null;
            }
            return generation == null ? Mono.empty() : generation.stop();
        });
    }

    /**
     * One run of the reconnecting loop, from the first subscriber until close or until the disconnect limit
     * is exceeded; its sink multicasts to every subscriber of that time. Emissions are serialised by the
     * loop's {@code merge}; only {@link #stop()} may race with them and it retries on contention.
     */
    private final class Generation {
        final Sinks.Many<Feed> sink = Sinks.many().multicast().directBestEffort();
        final AtomicReference<PostgresqlConnection> connection = new AtomicReference<>();
        private final Disposable.Swap loop = Disposables.swap();
        private final AtomicBoolean started = new AtomicBoolean();

        void startOnce() {
            if (started.compareAndSet(false, true)) {
                // After stop() the swap disposes this subscription at once.
                loop.update(listenLoop(this).subscribe(sink::tryEmitNext, this::failed, this::completed));
            }
        }

        private void failed(Throwable error) {
            retire();
            LOG.warn("Feed wake-ups stopped: {}", error.toString());
            sink.emitError(error, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        }

        private void completed() {
            retire();
            sink.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        }

        // The next subscriber starts a new generation.
        private void retire() {
            synchronized (lock) {
                if (current == this) {
                    current = null;
                }
            }
        }

        Mono<Void> stop() {
            return Mono.defer(() -> {
                loop.dispose();
                sink.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
                PostgresqlConnection open = connection.getAndSet(null);
                return open == null ? Mono.<Void>empty() : Mono.from(open.close())
                        .timeout(connectTimeout, timer)
                        .onErrorResume(error -> Mono.empty());
            });
        }
    }

    /** Connect, listen, keep alive; on any failure close and reconnect with backoff until the limit. */
    private Flux<Feed> listenLoop(Generation generation) {
        return Flux.defer(() -> {
            Outage outage = new Outage();
            return Flux.usingWhen(connect(generation),
                            connection -> listen(connection, outage),
                            connection -> closeQuietly(generation, connection),
                            (connection, error) -> closeQuietly(generation, connection),
                            connection -> closeQuietly(generation, connection))
                    .retryWhen(Retry.from(signals -> signals.concatMap(signal -> outage.next(signal.failure()))));
        });
    }

    private Mono<PostgresqlConnection> connect(Generation generation) {
        return factory.create()
                .timeout(connectTimeout, timer)
                .doOnNext(generation.connection::set);
    }

    /*
     * merge subscribes in order: the notification stream first, then LISTEN. The notification stream
     * completes when the connection is closed; that is an outage like any error, so it continues as one.
     */
    private Flux<Feed> listen(PostgresqlConnection connection, Outage outage) {
        Flux<Feed> notifications = connection.getNotifications()
                .<Feed>handle((notification, sink) -> {
                    Feed feed = FEEDS_BY_CHANNEL.get(notification.getName());
                    if (feed != null) {
                        sink.next(feed);
                    } else if (CLAIMABLE_CHANNEL.equals(notification.getName())) {
                        hint(notification.getParameter());
                    }
                })
                .concatWith(Mono.error(() -> new UnavailableException("the LISTEN connection was closed")));
        Flux<Feed> listening = connection.createStatement(LISTEN_ALL).execute()
                .concatMap(PostgresqlResult::getRowsUpdated)
                .then()
                .timeout(connectTimeout, timer)
                .doOnSuccess(done -> {
                    outage.ended();
                    hints.tryEmitNext(LaneKey.ANY);
                })
                .thenMany(Flux.fromArray(Feed.values()))
                .concatWith(keepAlive(connection));
        return Flux.merge(notifications, listening);
    }

    // Notifications arrive one at a time on the connection's thread, so emissions never overlap.
    private void hint(String payload) {
        int separator = payload == null ? -1 : payload.indexOf('\u001f');
        if (separator > 0) {
            hints.tryEmitNext(new LaneKey(payload.substring(0, separator), payload.substring(separator + 1)));
        }
    }

    // Ticks that come while a query is still running are dropped: a slow answer is judged by its timeout.
    private Flux<Feed> keepAlive(PostgresqlConnection connection) {
        return Flux.interval(keepAliveInterval, keepAliveInterval, timer)
                .onBackpressureDrop()
                .concatMap(tick -> connection.createStatement(KEEP_ALIVE).execute()
                        .concatMap(result -> result.map((row, metadata) -> 1))
                        .then()
                        .timeout(keepAliveTimeout, timer), 1)
                .thenMany(Flux.empty());
    }

    private Mono<Void> closeQuietly(Generation generation, PostgresqlConnection connection) {
        generation.connection.compareAndSet(connection, null);
        return connection.close().timeout(connectTimeout, timer).onErrorResume(error -> Mono.empty());
    }

    /**
     * The retry state of one generation: when the current outage began and how many attempts failed in a
     * row. A successful LISTEN ends the outage.
     */
    private final class Outage {
        private volatile long sinceNanos = -1;
        private volatile int failures;

        void ended() {
            if (sinceNanos >= 0) {
                LOG.info("Feed wake-ups restored after {} ms",
                        TimeUnit.NANOSECONDS.toMillis(timer.now(TimeUnit.NANOSECONDS) - sinceNanos));
            }
            sinceNanos = -1;
            failures = 0;
        }

        Mono<Long> next(Throwable error) {
            long now = timer.now(TimeUnit.NANOSECONDS);
            if (sinceNanos < 0) {
                sinceNanos = now;
                LOG.warn("Feed LISTEN connection lost, reconnecting: {}", error.toString());
            }
            long downNanos = now - sinceNanos;
            if (downNanos > disconnectLimit.toNanos()) {
                return Mono.error(new UnavailableException("PostgreSQL LISTEN connection could not be restored for "
                        + TimeUnit.NANOSECONDS.toMillis(downNanos) + " ms: " + error,
                        PgErrors.translate(error)));
            }
            long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(failures, 10));
            failures++;
            return Mono.delay(Duration.ofMillis(backoff), timer);
        }
    }
}
