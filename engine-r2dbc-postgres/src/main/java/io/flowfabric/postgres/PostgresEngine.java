package io.flowfabric.postgres;

import io.flowfabric.api.Engine;
import io.flowfabric.internal.CoreEngine;
import io.flowfabric.internal.FeedSettings;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.util.Map;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Opens an {@link Engine} over PostgreSQL through R2DBC.
 *
 * <pre>{@code
 * Engine engine = PostgresEngine.connect(PostgresOptions.fromUrl("postgresql://app:secret@db:5432/app"))
 *         .block();
 * }</pre>
 *
 * <p>The engine starts the reconcilers {@link PostgresOptions#reconcilers()} enables when it opens and
 * stops them on {@link Engine#shutdown()}. Several engines may run them against one database: each row
 * is handled in its own transaction that re-checks the condition under lock, so it changes once.
 *
 * <p>After the migrations both methods seed the signing keys of {@link PostgresOptions#signingKeys()}, in
 * order, as {@link PostgresOptions#withSigningKey(String, String)} describes; seeding the same keys again
 * at every start changes nothing.
 *
 * <p>Both methods are lazy: nothing happens until the returned {@code Mono} is subscribed. They error with
 * {@link io.flowfabric.api.error.UnavailableException} when the database is unreachable or a migration
 * fails, with {@link io.flowfabric.api.error.ValidationException} for unusable options, and with
 * {@link io.flowfabric.api.error.ConflictException} when a configured kid is stored with another secret;
 * whatever they opened is closed again before they error.
 */
public final class PostgresEngine {
    /** The name {@link Engine#backend()} reports. */
    public static final String BACKEND = "postgres";

    private PostgresEngine() {
    }

    /**
     * Applies the migrations (unless {@link PostgresOptions#runMigrations()} is false), opens a connection
     * pool sized by the options, checks that one connection can be acquired, and returns the engine.
     * {@link Engine#shutdown()} disposes the pool.
     *
     * <p>Feeds additionally use one dedicated connection (never a pooled one) that LISTENs for
     * notifications; it is opened when the first feed subscribes and closed by {@link Engine#shutdown()}.
     */
    public static Mono<Engine> connect(PostgresOptions options) {
        return openStore(options).flatMap(store -> start(store, options));
    }

    /**
     * Returns an engine over a connection factory the application already has, normally its own
     * {@code ConnectionPool}; every transaction acquires one connection from it and closes it afterwards.
     * The factory must reach the same database and schema as {@code options}, whose host, port, database
     * and credentials are used to run the migrations over JDBC (skipped when
     * {@link PostgresOptions#runMigrations()} is false) and to open the one dedicated LISTEN connection
     * feeds need (a LISTEN connection must not come from a pool), and whose clock, feed and reconciler
     * settings the engine reads. The application keeps ownership: {@link Engine#shutdown()} does not dispose
     * {@code existing}.
     */
    public static Mono<Engine> connect(ConnectionFactory existing, PostgresOptions options) {
        Objects.requireNonNull(existing, "existing");
        Objects.requireNonNull(options, "options");
        Mono<Void> migrations = options.runMigrations() ? PgMigrations.migrate(options) : Mono.empty();
        return migrations.then(Mono.fromSupplier(() -> new PgStore(existing, listener(options), Mono.empty())))
                .flatMap(store -> start(store, options));
    }

    /** Seeds the configured signing keys and creates the engine; the store is closed when seeding fails. */
    static Mono<Engine> start(PgStore store, PostgresOptions options) {
        return CoreEngine.start(store, options.clock(), BACKEND, feedSettings(options), options.reconcilers(),
                options.signingKeys());
    }

    static FeedSettings feedSettings(PostgresOptions options) {
        return new FeedSettings(FeedSettings.DEFAULT.pageSize(), options.feedPollInterval(),
                options.feedDisconnectLimit());
    }

    /** Migrations, then a started pool; the pool is disposed again when the first acquire fails. */
    static Mono<PgStore> openStore(PostgresOptions options) {
        Objects.requireNonNull(options, "options");
        Mono<Void> migrations = options.runMigrations() ? PgMigrations.migrate(options) : Mono.empty();
        return migrations.then(Mono.defer(() -> {
            ConnectionPool pool = pool(options);
            return checkConnection(pool)
                    .onErrorResume(error -> pool.disposeLater().then(Mono.error(PgErrors.translate(error))))
                    .thenReturn(new PgStore(pool, listener(options), pool.disposeLater()));
        }));
    }

    static ConnectionPool pool(PostgresOptions options) {
        // The engine's statements are fixed texts whose plans do not depend on the values bound (every
        // filter is served by the same index whatever the value), and the driver keeps them prepared, so
        // one generic plan per connection spares the server a custom re-plan on each execution.
        PostgresqlConnectionConfiguration.Builder connection = configuration(options, "flowfabric")
                .options(Map.of("plan_cache_mode", "force_generic_plan"));
        if (!options.statementTimeout().isZero()) {
            connection.statementTimeout(options.statementTimeout());
        }
        ConnectionPoolConfiguration pool = ConnectionPoolConfiguration
                .builder(new PostgresqlConnectionFactory(connection.build()))
                .name("flowfabric-" + options.database())
                .initialSize(options.initialPoolSize())
                .maxSize(options.maxPoolSize())
                .maxAcquireTime(options.maxAcquireTime())
                .build();
        return new ConnectionPool(pool);
    }

    /**
     * The engine's LISTEN connection source: a plain {@link PostgresqlConnectionFactory} over the same
     * target, never a pool, named {@value PgListener#APPLICATION_NAME} in {@code pg_stat_activity}.
     */
    static PgListener listener(PostgresOptions options) {
        PostgresqlConnectionConfiguration configuration = configuration(options, PgListener.APPLICATION_NAME)
                .connectTimeout(PgListener.connectTimeout(options.keepAliveTimeout()))
                .build();
        return new PgListener(new PostgresqlConnectionFactory(configuration), options.keepAliveInterval(),
                options.keepAliveTimeout(), options.feedDisconnectLimit());
    }

    private static PostgresqlConnectionConfiguration.Builder configuration(PostgresOptions options,
            String applicationName) {
        PostgresqlConnectionConfiguration.Builder connection = PostgresqlConnectionConfiguration.builder()
                .host(options.host())
                .port(options.port())
                .database(options.database())
                .username(options.user())
                .schema(options.schema())
                .applicationName(applicationName)
                .tcpKeepAlive(true);
        if (options.password() != null) {
            connection.password(options.password());
        }
        return connection;
    }

    // Fails connect() early with a clear error instead of failing the application's first call.
    private static Mono<Void> checkConnection(ConnectionPool pool) {
        return pool.warmup().then(Mono.usingWhen(pool.create(), connection -> Mono.<Void>empty(), Connection::close));
    }
}
