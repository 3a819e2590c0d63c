package io.flowfabric.postgres;

import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.signal.SigningKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How to reach PostgreSQL and how to size the connection pool. Immutable; change a copy with the
 * {@code withX} methods.
 *
 * @param host server host name or address
 * @param port server TCP port, 1-65535 (default 5432)
 * @param database database name
 * @param user login role
 * @param password password, or {@code null} for password-less (trust, peer) authentication
 * @param schema schema that holds the {@code ff_} tables and Flyway's history table; a plain SQL
 *     identifier (letters, digits, underscore), default {@code public}. Migrations create it when missing.
 * @param maxPoolSize most pooled connections, at least 1 (default 10)
 * @param initialPoolSize connections opened when the pool starts, 0 to {@code maxPoolSize} (default 1)
 * @param maxAcquireTime longest wait for a pooled connection before the call fails with
 *     {@code UnavailableException}, positive (default 30 s)
 * @param statementTimeout server-side {@code statement_timeout} of every pooled connection;
 *     {@link Duration#ZERO} disables it (default 30 s)
 * @param clock the clock every time decision of the engine reads (default {@link Clock#systemUTC()})
 * @param runMigrations whether {@link PostgresEngine#connect} applies the Flyway migrations first
 *     (default {@code true})
 * @param keepAliveInterval how often the engine's LISTEN connection (the one dedicated, non-pooled
 *     connection that receives feed notifications) runs {@code SELECT 1} to detect a hung server or a
 *     silently dropped connection, positive (default 1 s)
 * @param keepAliveTimeout how long that {@code SELECT 1} may take before the LISTEN connection is closed
 *     and reopened, positive (default 2 s)
 * @param feedDisconnectLimit how long feeds keep retrying an unreachable database before they fail with
 *     {@link io.flowfabric.api.feed.FeedDisconnectedException}; not negative (default 60 s)
 * @param feedPollInterval how often a feed re-reads its table without a notification, positive (default
 *     500 ms). A row becomes readable only when every older transaction has ended, which need not send a
 *     notification; this bounds how late such a row can be delivered.
 * @param reconcilers which reconcilers the engine runs, how often and on which executions (default
 *     {@link ReconcilerSettings#defaults()}: every loop on); {@link ReconcilerSettings#manual()} leaves
 *     them to explicit {@code runOnce()} calls
 * @param signingKeys waitpoint signing keys that {@link PostgresEngine#connect} seeds, in this order, after
 *     the migrations (default none); see {@link #withSigningKey(String, String)}. No kid may repeat;
 *     {@code null} is no keys. {@link #toString()} shows their kids only.
 * @throws ValidationException ({@code INVALID_INPUT}) from the constructor when a value is missing or
 *     out of range
 */
public record PostgresOptions(
        String host,
        int port,
        String database,
        String user,
        String password,
        String schema,
        int maxPoolSize,
        int initialPoolSize,
        Duration maxAcquireTime,
        Duration statementTimeout,
        Clock clock,
        boolean runMigrations,
        Duration keepAliveInterval,
        Duration keepAliveTimeout,
        Duration feedDisconnectLimit,
        Duration feedPollInterval,
        ReconcilerSettings reconcilers,
        List<SigningKey> signingKeys) {

    /** The PostgreSQL default port. */
    public static final int DEFAULT_PORT = 5432;
    public static final String DEFAULT_SCHEMA = "public";
    public static final int DEFAULT_MAX_POOL_SIZE = 10;
    public static final int DEFAULT_INITIAL_POOL_SIZE = 1;
    public static final Duration DEFAULT_MAX_ACQUIRE_TIME = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_FEED_DISCONNECT_LIMIT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_FEED_POLL_INTERVAL = Duration.ofMillis(500);

    // The schema is used as an identifier (search_path, Flyway), never as a bind value, so it is restricted
    // to names that need no quoting.
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public PostgresOptions {
        host = requireText(host, "host");
        database = requireText(database, "database");
        user = requireText(user, "user");
        schema = schema == null ? DEFAULT_SCHEMA : schema;
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw invalid("schema must be a plain identifier (letters, digits, underscore): " + schema);
        }
        if (port < 1 || port > 65535) {
            throw invalid("port must be in [1, 65535]: " + port);
        }
        if (maxPoolSize < 1) {
            throw invalid("maxPoolSize must be at least 1: " + maxPoolSize);
        }
        if (initialPoolSize < 0 || initialPoolSize > maxPoolSize) {
            throw invalid("initialPoolSize must be in [0, maxPoolSize]: " + initialPoolSize);
        }
        maxAcquireTime = maxAcquireTime == null ? DEFAULT_MAX_ACQUIRE_TIME : maxAcquireTime;
        if (maxAcquireTime.isNegative() || maxAcquireTime.isZero()) {
            throw invalid("maxAcquireTime must be positive: " + maxAcquireTime);
        }
        statementTimeout = statementTimeout == null ? DEFAULT_STATEMENT_TIMEOUT : statementTimeout;
        if (statementTimeout.isNegative()) {
            throw invalid("statementTimeout must not be negative: " + statementTimeout);
        }
        clock = clock == null ? Clock.systemUTC() : clock;
        keepAliveInterval = positive(keepAliveInterval, DEFAULT_KEEP_ALIVE_INTERVAL, "keepAliveInterval");
        keepAliveTimeout = positive(keepAliveTimeout, DEFAULT_KEEP_ALIVE_TIMEOUT, "keepAliveTimeout");
        feedDisconnectLimit = feedDisconnectLimit == null ? DEFAULT_FEED_DISCONNECT_LIMIT : feedDisconnectLimit;
        if (feedDisconnectLimit.isNegative()) {
            throw invalid("feedDisconnectLimit must not be negative: " + feedDisconnectLimit);
        }
        feedPollInterval = positive(feedPollInterval, DEFAULT_FEED_POLL_INTERVAL, "feedPollInterval");
        reconcilers = reconcilers == null ? ReconcilerSettings.defaults() : reconcilers;
        signingKeys = SigningKey.requireDistinct(signingKeys);
    }

    /** Options with every default except the connection target. */
    public static PostgresOptions of(String host, int port, String database, String user, String password) {
        return new PostgresOptions(host, port, database, user, password, DEFAULT_SCHEMA, DEFAULT_MAX_POOL_SIZE,
                DEFAULT_INITIAL_POOL_SIZE, DEFAULT_MAX_ACQUIRE_TIME, DEFAULT_STATEMENT_TIMEOUT, Clock.systemUTC(),
                true, DEFAULT_KEEP_ALIVE_INTERVAL, DEFAULT_KEEP_ALIVE_TIMEOUT, DEFAULT_FEED_DISCONNECT_LIMIT,
                DEFAULT_FEED_POLL_INTERVAL, ReconcilerSettings.defaults(), List.of());
    }

    /**
     * Parses {@code postgresql://user:pass@host:port/db?schema=x}. The prefixes {@code r2dbc:} and
     * {@code jdbc:} and the scheme {@code postgres} are accepted too; port defaults to 5432, user and
     * password are URL-decoded, {@code schema} is the only query parameter understood.
     *
     * @throws ValidationException ({@code INVALID_INPUT}) when the URL is malformed, lacks user, host or
     *     database, or carries an unknown parameter
     */
    public static PostgresOptions fromUrl(String url) {
        if (url == null) {
            throw invalid("url is required");
        }
        URI uri = parseUri(url);
        String[] userInfo = splitUserInfo(uri.getRawUserInfo());
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        PostgresOptions options = of(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
                database.isEmpty() ? null : database, userInfo[0], userInfo[1]);
        return applyQuery(options, uri.getRawQuery());
    }

    /** The JDBC URL of the target database, as Flyway and tests use it; carries no credentials. */
    public String jdbcUrl() {
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + hostPart + ":" + port + "/" + database;
    }

    public PostgresOptions withHost(String value) {
        return new PostgresOptions(value, port, database, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withPort(int value) {
        return new PostgresOptions(host, value, database, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withDatabase(String value) {
        return new PostgresOptions(host, port, value, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withUser(String value) {
        return new PostgresOptions(host, port, database, value, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withPassword(String value) {
        return new PostgresOptions(host, port, database, user, value, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withSchema(String value) {
        return new PostgresOptions(host, port, database, user, password, value, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    /** Pool bounds; {@code initial} must not exceed {@code max}. */
    public PostgresOptions withPoolSize(int initial, int max) {
        return new PostgresOptions(host, port, database, user, password, schema, max, initial, maxAcquireTime,
                statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout, feedDisconnectLimit,
                feedPollInterval, reconcilers, signingKeys);
    }

    /** A copy with {@code maxPoolSize = value}, lowering {@code initialPoolSize} to it when larger. */
    public PostgresOptions withMaxPoolSize(int value) {
        return new PostgresOptions(host, port, database, user, password, schema, value,
                Math.min(initialPoolSize, value), maxAcquireTime, statementTimeout, clock, runMigrations,
                keepAliveInterval, keepAliveTimeout, feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withInitialPoolSize(int value) {
        return new PostgresOptions(host, port, database, user, password, schema, maxPoolSize, value,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withMaxAcquireTime(Duration value) {
        return new PostgresOptions(host, port, database, user, password, schema, maxPoolSize, initialPoolSize,
                value, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withStatementTimeout(Duration value) {
        return new PostgresOptions(host, port, database, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, value, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withClock(Clock value) {
        return new PostgresOptions(host, port, database, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, value, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withRunMigrations(boolean value) {
        return new PostgresOptions(host, port, database, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, value, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, signingKeys);
    }

    /** The LISTEN connection's keep-alive query period and timeout. */
    public PostgresOptions withKeepAlive(Duration interval, Duration timeout) {
        return new PostgresOptions(host, port, database, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, interval, timeout, feedDisconnectLimit,
                feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withFeedDisconnectLimit(Duration value) {
        return new PostgresOptions(host, port, database, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                value, feedPollInterval, reconcilers, signingKeys);
    }

    public PostgresOptions withFeedPollInterval(Duration value) {
        return new PostgresOptions(host, port, database, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, value, reconcilers, signingKeys);
    }

    public PostgresOptions withReconcilers(ReconcilerSettings value) {
        return new PostgresOptions(host, port, database, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, value, signingKeys);
    }

    /**
     * A copy that also seeds the signing key {@code kid} when the engine connects; call it once per key.
     * Each key is seeded as {@link io.flowfabric.api.signal.Signals#seedSigningKey} does: a kid already
     * stored with the same secret changes nothing, so every start may pass the same keys; a kid stored with
     * another secret fails {@link PostgresEngine#connect} with a {@code ConflictException} and none of
     * the configured keys is written (they are seeded in one transaction); a new kid is
     * installed, and becomes the current (signing) key only when no key is current yet. So on an empty
     * database the first configured key signs and the others only verify; change the signing key with
     * {@code rotateSigningKey}.
     *
     * @param secretHex the secret as even-length hex, at least
     *     {@value io.flowfabric.api.signal.SigningKey#MIN_SECRET_BYTES} bytes
     * @throws ValidationException ({@code INVALID_INPUT}) for an invalid kid or secret, or a kid already
     *     configured; the message never contains the secret
     */
    public PostgresOptions withSigningKey(String kid, String secretHex) {
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
    public PostgresOptions withSigningKeys(String configuration) {
        return withSigningKeys(SigningKey.parseList(configuration));
    }

    private PostgresOptions withSigningKeys(List<SigningKey> added) {
        List<SigningKey> keys = new ArrayList<>(signingKeys);
        keys.addAll(added);
        return new PostgresOptions(host, port, database, user, password, schema, maxPoolSize, initialPoolSize,
                maxAcquireTime, statementTimeout, clock, runMigrations, keepAliveInterval, keepAliveTimeout,
                feedDisconnectLimit, feedPollInterval, reconcilers, keys);
    }

    /** Like the record's default, but never prints the password or a signing secret. */
    @Override
    public String toString() {
        return "PostgresOptions[" + user + "@" + host + ":" + port + "/" + database + ", schema=" + schema
                + ", password=" + (password == null ? "none" : "***") + ", pool=" + initialPoolSize + ".."
                + maxPoolSize + ", maxAcquireTime=" + maxAcquireTime + ", statementTimeout=" + statementTimeout
                + ", clock=" + clock + ", runMigrations=" + runMigrations + ", keepAlive=" + keepAliveInterval + "/"
                + keepAliveTimeout + ", feedDisconnectLimit=" + feedDisconnectLimit + ", feedPollInterval="
                + feedPollInterval + ", reconcilers=" + (reconcilers.enabled() ? "running" : "manual")
                + ", signingKeys=" + signingKeys.stream().map(SigningKey::kid).toList() + "]";
    }

    private static URI parseUri(String url) {
        String text = url.strip();
        for (String prefix : new String[] {"r2dbc:", "jdbc:"}) {
            if (text.startsWith(prefix)) {
                text = text.substring(prefix.length());
            }
        }
        if (!text.startsWith("postgresql://") && !text.startsWith("postgres://")) {
            throw invalid("url must start with postgresql:// (optionally prefixed by r2dbc:)");
        }
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("malformed url: " + e.getMessage());
        }
    }

    private static String[] splitUserInfo(String rawUserInfo) {
        if (rawUserInfo == null || rawUserInfo.isEmpty()) {
            throw invalid("url must name a user: postgresql://user[:password]@host[:port]/database");
        }
        int colon = rawUserInfo.indexOf(':');
        if (colon < 0) {
            return new String[] {decode(rawUserInfo), null};
        }
        return new String[] {decode(rawUserInfo.substring(0, colon)), decode(rawUserInfo.substring(colon + 1))};
    }

    private static PostgresOptions applyQuery(PostgresOptions options, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return options;
        }
        PostgresOptions result = options;
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!name.equals("schema")) {
                throw invalid("unknown url parameter '" + name + "' (only 'schema' is understood)");
            }
            result = result.withSchema(value);
        }
        return result;
    }

    // Percent-decoding only: URLDecoder alone would turn a literal '+' in a password into a space.
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw invalid(what + " is required");
        }
        return value;
    }

    private static Duration positive(Duration value, Duration fallback, String what) {
        Duration result = value == null ? fallback : value;
        if (result.isNegative() || result.isZero()) {
            throw invalid(what + " must be positive: " + result);
        }
        return result;
    }

    private static ValidationException invalid(String detail) {
        return new ValidationException(ValidationException.Kind.INVALID_INPUT, "postgres options: " + detail);
    }
}
