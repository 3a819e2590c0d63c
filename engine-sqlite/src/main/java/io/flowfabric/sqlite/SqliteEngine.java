package io.flowfabric.sqlite;

import io.flowfabric.api.Engine;
import io.flowfabric.internal.CoreEngine;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Opens the embedded SQLite backend. Every decision about states, leases and retries is made by the shared
 * core engine; this backend persists rows in one SQLite database through a single writer thread.
 *
 * <pre>{@code
 * SqliteEngine.open(SqliteOptions.file(Path.of("flowfabric.db")))
 *     .flatMap(engine -> engine.executions().create(request));
 * }</pre>
 */
public final class SqliteEngine {
    /** The value of {@link Engine#backend()} for engines opened here. */
    public static final String BACKEND = "sqlite";

    private SqliteEngine() {
    }

    /**
     * Opens a database and migrates its schema to the newest version. Lazy: each subscription opens its
     * own engine (and its own database when in memory); close it with {@link Engine#shutdown()}.
     *
     * <p>For a file database the parent directories are created and the file is switched to WAL mode.
     * The engine's writes run on one daemon thread named {@code flowfabric-sqlite-writer-N}; its signals
     * are delivered on Reactor's parallel or bounded-elastic scheduler, never on that thread. The
     * reconciler loops start with the engine when {@link SqliteOptions#reconcilers()} enables them.
     *
     * <p>After the migrations the signing keys of {@link SqliteOptions#signingKeys()} are seeded, in order,
     * as {@link SqliteOptions#withSigningKey(String, String)} describes; seeding the same keys again at
     * every open changes nothing.
     *
     * @return the open engine; errors with {@link io.flowfabric.api.error.UnavailableException} when the
     *     database cannot be opened, created or migrated, with
     *     {@link io.flowfabric.api.error.TransientException} when another process holds it locked for
     *     longer than {@link SqliteOptions#busyTimeout()}, or with
     *     {@link io.flowfabric.api.error.ConflictException} when a configured kid is stored with another
     *     secret. The database is closed again before any of these errors.
     * @throws NullPointerException when {@code options} is null
     */
    public static Mono<Engine> open(SqliteOptions options) {
        Objects.requireNonNull(options, "options");
        return SqliteStore.open(options).flatMap(store -> CoreEngine.start(store, options.clock(), BACKEND,
                options.feedSettings(), options.reconcilers(), options.signingKeys()));
    }
}
