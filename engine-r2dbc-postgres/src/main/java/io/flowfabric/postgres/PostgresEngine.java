package io.flowfabric.postgres;

import io.flowfabric.api.Engine;
import io.flowfabric.internal.CoreEngine;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
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
 * <p>Both methods are lazy: nothing happens until the returned {@code Mono} is subscribed. They error with
 * {@link io.flowfabric.api.error.UnavailableException} when the database is unreachable or a migration
 * fails, and with {@link io.flowfabric.api.error.ValidationException} for unusable options.
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
     */
    public static Mono<Engine> connect(PostgresOptions options) {
        return openStore(options).map(store -> CoreEngine.create(store, options.clock(), BACKEND));
    }

    /**
     * Returns an engine over a connection factory the application already has, normally its own
     * {@code ConnectionPool}; every transaction acquires one connection from it and closes it afterwards.
     * The factory must reach the same database and schema as {@code options}, whose host, port, database
     * and credentials are only used to run the migrations over JDBC (skipped when
     * {@link PostgresOptions#runMigrations()} is false) and whose clock the engine reads. The application
     * keeps ownership: {@link Engine#shutdown()} does not dispose {@code existing}.
     */
    public static Mono<Engine> connect(ConnectionFactory existing, PostgresOptions options) {
        Objects.requireNonNull(existing, "existing");
        Objects.requireNonNull(options, "options");
        Mono<Void> migrations = options.runMigrations() ? PgMigrations.migrate(options) : Mono.empty();
        return migrations.then(Mono.fromSupplier(() -> new PgStore(existing, Mono.empty())))
                .map(store -> CoreEngine.create(store, options.clock(), BACKEND));
    }

    /** Migrations, then a started pool; the pool is disposed again when the first acquire fails. */
    static Mono<PgStore> openStore(PostgresOptions options) {
        Objects.requireNonNull(options, "options");
        Mono<Void> migrations = options.runMigrations() ? PgMigrations.migrate(options) : Mono.empty();
        return migrations.then(Mono.defer(() -> {
            ConnectionPool pool = pool(options);
            return checkConnection(pool)
                    .onErrorResume(error -> pool.disposeLater().then(Mono.error(PgErrors.translate(error))))
                    .thenReturn(new PgStore(pool, pool.disposeLater()));
        }));
    }

    static ConnectionPool pool(PostgresOptions options) {
        PostgresqlConnectionConfiguration.Builder connection = PostgresqlConnectionConfiguration.builder()
                .host(options.host())
                .port(options.port())
                .database(options.database())
                .username(options.user())
                .schema(options.schema())
                .applicationName("flowfabric")
                .tcpKeepAlive(true);
        if (options.password() != null) {
            connection.password(options.password());
        }
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

    // Fails connect() early with a clear error instead of failing the application's first call.
    private static Mono<Void> checkConnection(ConnectionPool pool) {
        return pool.warmup().then(Mono.usingWhen(pool.create(), connection -> Mono.<Void>empty(), Connection::close));
    }
}
