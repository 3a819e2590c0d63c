package io.flowfabric.sqlite;

import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.signal.SigningKey;
import io.flowfabric.internal.FeedSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * @param signingKeys waitpoint signing keys that {@link SqliteEngine#open} seeds, in this order, after the
 *     migrations (none by default); see {@link #withSigningKey(String, String)}. No kid may repeat;
 *     {@code null} is no keys. {@link #toString()} shows their kids only.
 */
public record SqliteOptions(Path file, Synchronous synchronous, Duration busyTimeout, int readConnections,
        Clock clock, Duration feedPollInterval, int feedPageSize, ReconcilerSettings reconcilers,
        List<SigningKey> signingKeys) {

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
     * @throws ValidationException ({@code INVALID_INPUT}) when {@code synchronous}, {@code busyTimeout},
     *     {@code clock}, {@code feedPollInterval} or {@code reconcilers} is null, the busy timeout is
     *     negative or longer than {@link Integer#MAX_VALUE} milliseconds, {@code readConnections < 1}, the
     *     feed poll interval is not positive, the feed page size is outside [1, {@value #MAX_FEED_PAGE_SIZE}],
     *     or a signing key kid repeats (the same type {@code PostgresOptions} throws)
     */
    public SqliteOptions {
        required(synchronous, "synchronous");
        required(busyTimeout, "busyTimeout");
        required(clock, "clock");
        required(feedPollInterval, "feedPollInterval");
        required(reconcilers, "reconcilers");
        if (feedPollInterval.isNegative() || feedPollInterval.isZero()) {
            throw invalid("feedPollInterval must be positive: " + feedPollInterval);
        }
        if (feedPageSize < 1 || feedPageSize > MAX_FEED_PAGE_SIZE) {
            throw invalid("feedPageSize must be in [1, " + MAX_FEED_PAGE_SIZE + "]: " + feedPageSize);
        }
        if (busyTimeout.isNegative() || busyTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw invalid("busyTimeout must be in [0, " + Integer.MAX_VALUE + "] ms: " + busyTimeout);
        }
        if (readConnections < 1) {
            throw invalid("readConnections must be at least 1: " + readConnections);
        }
        if (file != null) {
            file = file.toAbsolutePath().normalize();
        }
        signingKeys = SigningKey.requireDistinct(signingKeys);
    }

    /** A database in {@code file} (created when missing) with the defaults. */
    public static SqliteOptions file(Path file) {
        required(file, "file");
        return new SqliteOptions(file, Synchronous.NORMAL, DEFAULT_BUSY_TIMEOUT, DEFAULT_READ_CONNECTIONS,
                Clock.systemUTC(), DEFAULT_FEED_POLL_INTERVAL, DEFAULT_FEED_PAGE_SIZE, ReconcilerSettings.defaults(),
                List.of());
    }

    /** A private in-memory database with the defaults; it disappears when the engine closes. */
    public static SqliteOptions inMemory() {
        return new SqliteOptions(null, Synchronous.NORMAL, DEFAULT_BUSY_TIMEOUT, DEFAULT_READ_CONNECTIONS,
                Clock.systemUTC(), DEFAULT_FEED_POLL_INTERVAL, DEFAULT_FEED_PAGE_SIZE, ReconcilerSettings.defaults(),
                List.of());
    }

    /** Whether this describes an in-memory database. */
    public boolean isInMemory() {
        return file == null;
    }

    public SqliteOptions withSynchronous(Synchronous synchronous) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers, signingKeys);
    }

    public SqliteOptions withBusyTimeout(Duration busyTimeout) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers, signingKeys);
    }

    public SqliteOptions withReadConnections(int readConnections) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers, signingKeys);
    }

    public SqliteOptions withClock(Clock clock) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers, signingKeys);
    }

    public SqliteOptions withFeedPollInterval(Duration feedPollInterval) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers, signingKeys);
    }

    public SqliteOptions withFeedPageSize(int feedPageSize) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers, signingKeys);
    }

    public SqliteOptions withReconcilers(ReconcilerSettings reconcilers) {
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers, signingKeys);
    }

    /**
     * A copy that also seeds the signing key {@code kid} when the engine opens; call it once per key. Each
     * key is seeded as {@link io.flowfabric.api.signal.Signals#seedSigningKey} does: a kid already stored
     * with the same secret changes nothing, so every start may pass the same keys; a kid stored with
     * another secret fails {@link SqliteEngine#open} with a {@code ConflictException} and none of
     * the configured keys is written (they are seeded in one transaction); a new kid is
     * installed, and becomes the current (signing) key only when no key is current yet. So on an empty
     * database the first configured key signs and the others only verify; change the signing key with
     * {@code rotateSigningKey}.
     *
     * @param secretHex the secret as even-length hex, at least {@value SigningKey#MIN_SECRET_BYTES} bytes
     * @throws ValidationException ({@code INVALID_INPUT}) for an invalid kid or secret, or a kid already
     *     configured; the message never contains the secret
     */
    public SqliteOptions withSigningKey(String kid, String secretHex) {
        return withSigningKeys(List.of(new SigningKey(kid, secretHex)));
    }

    /**
     * A copy that also seeds the keys of {@code configuration}, a list such as an environment variable holds:
     * {@code "k1:<secret hex>,k2:<secret hex>"} (see {@link SigningKey#parseList}); {@code null} or blank
     * adds none. Seeding works as for {@link #withSigningKey(String, String)}, in list order.
     *
     * @throws ValidationException ({@code INVALID_INPUT}) when the text is malformed or repeats a kid; the
     *     message never contains a secret
     */
    public SqliteOptions withSigningKeys(String configuration) {
        return withSigningKeys(SigningKey.parseList(configuration));
    }

    private SqliteOptions withSigningKeys(List<SigningKey> added) {
        List<SigningKey> keys = new ArrayList<>(signingKeys);
        keys.addAll(added);
        return new SqliteOptions(file, synchronous, busyTimeout, readConnections, clock, feedPollInterval,
                feedPageSize, reconcilers, keys);
    }

    /** Like the record's default, but signing keys appear as their kids only. */
    @Override
    public String toString() {
        return "SqliteOptions[file=" + file + ", synchronous=" + synchronous + ", busyTimeout=" + busyTimeout
                + ", readConnections=" + readConnections + ", clock=" + clock + ", feedPollInterval="
                + feedPollInterval + ", feedPageSize=" + feedPageSize + ", reconcilers=" + reconcilers
                + ", signingKeys=" + signingKeys.stream().map(SigningKey::kid).toList() + "]";
    }

    /**
     * The core engine's feed settings. A local database cannot disconnect like a server, so the limit on
     * retrying failed reads (lock timeouts) stays at the core's default.
     */
    FeedSettings feedSettings() {
        return new FeedSettings(feedPageSize, feedPollInterval, FeedSettings.DEFAULT.disconnectLimit());
    }

    private static void required(Object value, String name) {
        if (value == null) {
            throw invalid(name + " is required");
        }
    }

    private static ValidationException invalid(String message) {
        return new ValidationException(ValidationException.Kind.INVALID_INPUT, message);
    }
}
