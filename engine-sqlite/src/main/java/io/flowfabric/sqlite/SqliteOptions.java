package io.flowfabric.sqlite;

import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.internal.FeedSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How to open an embedded SQLite engine. Immutable: every {@code withX} method returns a copy.
 *
 * <p>A file database (see {@link #file(Path)}) runs in WAL mode with one writer connection and
 * {@link #readConnections()} read-only connections; its parent directories are created when the engine
 * opens. An in-memory database (see {@link #inMemory()}) lives on the single writer connection, is
 * discarded when the engine closes, and serves reads on that connection too.
 *
 * @param file the database file, or {@code null} for an in-memory database
 * @param synchronous the {@code PRAGMA synchronous} level of the writer connection; {@code NORMAL} by
 *     default, which in WAL mode can lose the last commits on power loss but never corrupts the file
 * @param busyTimeout how long a statement waits for a lock held by another process before it fails with
 *     {@code SQLITE_BUSY} (mapped to {@code TransientException}); at least zero and at most
 *     {@link Integer#MAX_VALUE} milliseconds (5 s by default). It also bounds, with a floor of one second,
 *     how long a read waits for a free read connection
 * @param readConnections the number of read-only connections of a file database (4 by default, at least
 *     1); ignored in memory
 * @param clock the clock every time decision of the engine uses ({@link Clock#systemUTC()} by default)
 * @param feedPollInterval how often a feed subscription re-reads its feed without a wake-up (500 ms by
 *     default); a safety net, since every commit that appends to a feed wakes its subscribers up at once
 * @param feedPageSize how many rows a feed subscription reads per query, in [1, 10000] (256 by default)
 * @param reconcilers which reconcilers the engine runs and how ({@link ReconcilerSettings#defaults()}:
 *     every loop on); {@link ReconcilerSettings#manual()} leaves them to explicit {@code runOnce()} calls
 */
public record SqliteOptions(Path file, Synchronous synchronous, Duration busyTimeout, int readConnections,
        Clock clock, Duration feedPollInterval, int feedPageSize, ReconcilerSettings reconcilers) {

    /** The default busy timeout. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);
    /** The default number of read-only connections of a file database. */
    public static final int DEFAULT_READ_CONNECTIONS = 4;
    /** The default interval at which feeds re-read without a wake-up. */
    public static final Duration DEFAULT_FEED_POLL_INTERVAL = Duration.ofMillis(500);
    /** The default number of rows a feed reads per query. */
    public static final int DEFAULT_FEED_PAGE_SIZE = 256;
    /** The largest feed page size. */
    public static final int MAX_FEED_PAGE_SIZE = 10_000;

    /** Values of SQLite's {@code PRAGMA synchronous}, from fastest to most durable. */
    public enum Synchronous {
        OFF, NORMAL, FULL, EXTRA
    }

    /**
     * Validates every component.
     *
     * @throws NullPointerException when {@code synchronous}, {@code busyTimeout}, {@code clock},
     *     {@code feedPollInterval} or {@code reconcilers} is null
     * @throws IllegalArgumentException when the busy timeout is negative or longer than
     *     {@link Integer#MAX_VALUE} milliseconds, {@code readConnections < 1}, the feed poll interval is not
     *     positive, or the feed page size is outside [1, {@value #MAX_FEED_PAGE_SIZE}]
     */
    public SqliteOptions {
        Objects.requireNonNull(synchronous, "synchronous");
        Objects.requireNonNull(busyTimeout, "busyTimeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(feedPollInterval, "feedPollInterval");
        Objects.requireNonNull(reconcilers, "reconcilers");
        if (feedPollInterval.isNegative() || feedPollInterval.isZero()) {
            throw new IllegalArgumentException("feedPollInterval must be positive: " + feedPollInterval);
        }
        if (feedPageSize < 1 || feedPageSize > MAX_FEED_PAGE_SIZE) {
            throw new IllegalArgumentException("feedPageSize must be in [1, " + MAX_FEED_PAGE_SIZE + "]: "
                    + feedPageSize);
        }
        if (busyTimeout.isNegative() || busyTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("busyTimeout must be in [0, " + Integer.MAX_VALUE + "] ms: "
                    + busyTimeout);
        }
        if (readConnections < 1) {
            throw new IllegalArgumentException("readConnections must be at least 1: " + readConnections);
        }
        if (file != null) {
            file = file.toAbsolutePath().normalize();
        }
    }

    /** A database in {@code file} (created when missing) with the defaults. */
    public static SqliteOptions file(Path file) {
        Objects.requireNonNull(file, "file");
        return new SqliteOptions(file, Synchronous.NORMAL, DEFAULT_BUSY_TIMEOUT, DEFAULT_READ_CONNECTIONS,
                Clock.systemUTC(), DEFAULT_FEED_POLL_INTERVAL, DEFAULT_FEED_PAGE_SIZE, ReconcilerSettings.defaults());
    }

    /** A private in-memory database with the defaults; it disappears when the engine closes. */
    public static SqliteOptions inMemory() {
        return new SqliteOptions(null, Synchronous.NORMAL, DEFAULT_BUSY_TIMEOUT, DEFAULT_READ_CONNECTIONS,
                Clock.systemUTC(), DEFAULT_FEED_POLL_INTERVAL, DEFAULT_FEED_PAGE_SIZE, ReconcilerSettings.defaults());
    }

    /** Whether this describes an in-memory database. */
    public boolean isInMemory() {
        return file == null;
    }

    public SqliteOptions withSynchronous(Synchronous synchronous) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers);
    }

    public SqliteOptions withBusyTimeout(Duration busyTimeout) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers);
    }

    public SqliteOptions withReadConnections(int readConnections) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers);
    }

    public SqliteOptions withClock(Clock clock) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers);
    }

    public SqliteOptions withFeedPollInterval(Duration feedPollInterval) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers);
    }

    public SqliteOptions withFeedPageSize(int feedPageSize) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers);
    }

    public SqliteOptions withReconcilers(ReconcilerSettings reconcilers) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers);
    }

    /**
     * The core engine's feed settings. A local database cannot disconnect like a server, so the limit on
     * retrying failed reads (lock timeouts) stays at the core's default.
     */
    FeedSettings feedSettings() {
        return new FeedSettings(feedPageSize, feedPollInterval, FeedSettings.DEFAULT.disconnectLimit());
    }
}
