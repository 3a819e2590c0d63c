package io.flowfabric.sqlite;

import io.flowfabric.api.CompleteExecution;
import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.internal.ClaimGrant;
import io.flowfabric.internal.ClaimQuery;
import io.flowfabric.internal.ClaimedRow;
import io.flowfabric.internal.CompletionGrant;
import io.flowfabric.internal.FeedStore;
import io.flowfabric.internal.LaneKey;
import io.flowfabric.internal.Store;
import io.flowfabric.internal.StoreReads;
import io.flowfabric.internal.StoreTx;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * The {@link Store} over sqlite-jdbc: blocking JDBC bridged onto dedicated threads.
 *
 * <p><b>Writes.</b> One writer connection, used only by one daemon thread. Transactions queue up and the
 * writer runs them in groups that share one {@code COMMIT} ({@link GroupCommit}): {@code BEGIN IMMEDIATE},
 * then each transaction's work (whose statements complete synchronously, see {@link Scope}) inside its own
 * savepoint, then {@code COMMIT}. A transaction whose work errors, does not complete synchronously, or
 * whose caller cancelled meanwhile is rolled back to its savepoint and leaves no trace; the others in its
 * group are not affected. Grouping is safe because the members of a group run one after another on one
 * thread (transactions still never interleave), savepoints confine each failure to its own transaction, and
 * no caller is sent a result before the group's COMMIT succeeded: if the COMMIT fails, every member fails.
 * SQLite's single writer means the claim and outbox races PostgreSQL must guard against do not arise.
 * Since each COMMIT writes every page its transaction dirtied to the WAL, sharing one COMMIT among
 * concurrent transactions saves most of the writer's time under load; a lone transaction commits at once.
 * Results are emitted on {@link Schedulers#parallel()} so caller code never runs on (and never stalls) the
 * writer.
 *
 * <p><b>Reads.</b> For a file database, each read call borrows one read-only connection and runs, inside
 * one read transaction (one consistent WAL snapshot), on a bounded-elastic thread. An in-memory database
 * exists only on the writer connection, so its reads are tasks on the writer thread.
 *
 * <p><b>Feeds.</b> {@link SqliteFeedStore} reads the outbox like any other read; after a COMMIT, the writer
 * emits one wake-up per feed that the group's committed transactions appended to (none for a transaction
 * rolled back to its savepoint).
 *
 * <p><b>Order.</b> A writer task scheduled after a write was submitted (an in-memory read, another write's
 * group, the close) runs after that write ended. Once the store is closed, queued transactions fail with
 * {@link SqliteErrors#closed()}.
 */
final class SqliteStore implements Store {
    private static final AtomicInteger WRITER_THREADS = new AtomicInteger();

    private final SqliteOptions options;
    private final ExecutorService writerExecutor;
    private final Scheduler writerScheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Mono<Void> closing;
    private final SqliteFeedStore feeds = new SqliteFeedStore(this);
    private final GroupCommit groups = new GroupCommit(feeds, this::afterCommit);
    /** Used only on the writer thread. */
    private SqliteConnection writer;
    /** Null for an in-memory database (it has no log); set and closed on the writer thread, read by tests. */
    private volatile Checkpointer checkpointer;
    /** Null for an in-memory database. */
    private volatile ReadPool readers;

    /** Whether claims and completions apply the core's grants in SQL ({@link SqliteClaim}, {@link SqliteComplete}). */
    private final boolean grantedPaths;

    private SqliteStore(SqliteOptions options, boolean grantedPaths) {
        this.options = options;
        this.grantedPaths = grantedPaths;
        this.writerExecutor = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                SqliteStore::newWriterThread);
        this.writerScheduler = Schedulers.fromExecutorService(writerExecutor, "flowfabric-sqlite-writer");
        this.closing = Mono.defer(this::shutdown).cache();
    }

    /**
     * Opens the connections and migrates the schema; on failure everything opened is closed again and the
     * error is an {@link UnavailableException} (or {@link io.flowfabric.api.error.TransientException} when
     * another process holds the database locked).
     */
    static Mono<SqliteStore> open(SqliteOptions options) {
        return open(options, true);
    }

    /**
     * As {@link #open(SqliteOptions)}; {@code grantedPaths} false makes the core claim and complete through
     * its own transactions instead of {@link SqliteClaim} and {@link SqliteComplete} (tests compare the two).
     */
    static Mono<SqliteStore> open(SqliteOptions options, boolean grantedPaths) {
        return Mono.defer(() -> {
            SqliteStore store = new SqliteStore(options, grantedPaths);
            return store.onWriter("open", context -> store.initialise())
                    .thenReturn(store)
                    .onErrorResume(e -> store.close().then(Mono.error(e)));
        });
    }

    @Override
    public <T> Mono<T> inTransaction(Function<StoreTx, Mono<T>> work) {
        return write(SqliteTx::new, work);
    }

    @Override
    public <T> Mono<T> read(Function<StoreReads, Mono<T>> work) {
        return read(SqliteReads::new, work);
    }

    @Override
    public boolean claimsGranted() {
        return grantedPaths;
    }

    @Override
    public Flux<ClaimedRow> claimGranted(ClaimQuery query, ClaimGrant grant) {
        return write(SqliteTx::new, tx -> tx.claimGranted(query, grant)).flatMapIterable(rows -> rows);
    }

    @Override
    public boolean completesGranted() {
        return grantedPaths;
    }

    @Override
    public Flux<Integer> completeGranted(List<CompleteExecution> requests, CompletionGrant grant) {
        return write(SqliteTx::new, tx -> tx.completeGranted(requests, grant)).flatMapIterable(indexes -> indexes);
    }

    @Override
    public Flux<LaneKey> claimHints() {
        return feeds.claimHints();
    }

    @Override
    public FeedStore feeds() {
        return feeds;
    }

    /** A read-write transaction whose work runs statements on the {@link Scope} directly. */
    <T> Mono<T> writeScope(Function<Scope, Mono<T>> work) {
        return write(Function.identity(), work);
    }

    /** A read whose work runs statements on the {@link Scope} directly. */
    <T> Mono<T> readScope(Function<Scope, Mono<T>> work) {
        return read(Function.identity(), work);
    }

    /**
     * Queues a transaction for the next group (see {@link GroupCommit}) and schedules a drain task that
     * runs groups until this one has been taken.
     */
    private <H, T> Mono<T> write(Function<Scope, H> handle, Function<H, Mono<T>> work) {
        return Mono.<T>create(sink -> {
            GroupCommit.Member<H, T> member = new GroupCommit.Member<>(handle, work, sink);
            sink.onCancel(member::cancel);
            groups.add(member);
            try {
                writerScheduler.schedule(() -> groups.drainThrough(member, closed.get() ? null : writer));
            } catch (RejectedExecutionException e) {
                if (groups.remove(member)) {
                    sink.error(SqliteErrors.closed());
                }
            }
        }).publishOn(delivery());
    }

    private <H, T> Mono<T> read(Function<Scope, H> handle, Function<H, Mono<T>> work) {
        if (options.isInMemory()) {
            return onWriter("read", context -> {
                requireOpen();
                return runScoped(writer, "writer", work, handle, context, "read");
            });
        }
        return Mono.deferContextual(context -> Mono.fromCallable(() -> pooledRead(handle, work, context)))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** How many group COMMITs succeeded so far (see {@link GroupCommit}). */
    long commits() {
        return groups.commits();
    }

    /** How many background WAL checkpoints ran to the end so far (none for an in-memory database). */
    long backgroundCheckpoints() {
        Checkpointer c = checkpointer;
        return c == null ? 0 : c.completedCheckpoints();
    }

    /** How many write transactions those COMMITs made durable. */
    long committedTransactions() {
        return groups.committedTransactions();
    }

    /** Closes the connections and lets the writer thread end; idempotent, later calls fail as unavailable. */
    @Override
    public Mono<Void> close() {
        return closing;
    }

    private Void initialise() throws SQLException {
        if (!options.isInMemory()) {
            createParentDirectories();
        }
        writer = Connections.writer(options);
        Migrations.migrate(writer.jdbc());
        // Transactions are explicit BEGIN IMMEDIATE / COMMIT statements, which need autocommit mode.
        // Flyway restores it after migrating; set it anyway rather than depend on that.
        writer.jdbc().setAutoCommit(true);
        if (!options.isInMemory()) {
            Duration acquireTimeout = options.busyTimeout().compareTo(Duration.ofSeconds(1)) < 0
                    ? Duration.ofSeconds(1) : options.busyTimeout();
            readers = new ReadPool(Connections.readers(options), acquireTimeout);
            checkpointer = new Checkpointer(Connections.checkpointer(options));
        }
        return null;
    }

    /** On the writer thread, after each group COMMIT. */
    private void afterCommit() {
        if (checkpointer != null) {
            checkpointer.committed();
        }
    }

    private void createParentDirectories() {
        try {
            Files.createDirectories(options.file().getParent());
        } catch (IOException e) {
            throw new UnavailableException("cannot create the directory of " + options.file(), e);
        }
    }

    private <H, T> T pooledRead(Function<Scope, H> handle, Function<H, Mono<T>> work, ContextView context)
            throws InterruptedException {
        requireOpen();
        ReadPool pool = readers;
        SqliteConnection connection = pool.acquire();
        try {
            connection.execute("BEGIN");
            try {
                return runScoped(connection, "reader", work, handle, context, "read");
            } finally {
                // A read transaction has nothing to commit; ROLLBACK ends it and releases its snapshot.
                connection.execute("ROLLBACK");
            }
        } catch (SQLException e) {
            throw SqliteErrors.map(e, "read");
        } finally {
            pool.release(connection);
        }
    }

    /** Runs {@code work} against a scope owned by the current thread, which ends when the work returns. */
    private static <H, T> T runScoped(SqliteConnection connection, String role, Function<H, Mono<T>> work,
            Function<Scope, H> handle, ContextView context, String what) {
        Scope scope = new Scope(connection, role);
        try {
            return SynchronousResult.run(work, handle.apply(scope), context, what);
        } finally {
            scope.end();
        }
    }

    /** A task body run on the writer thread. */
    @FunctionalInterface
    private interface WriterTask<T> {
        T run(ContextView context) throws SQLException;
    }

    /**
     * Runs {@code task} as one task on the writer thread and emits its result on the delivery scheduler.
     * A cancelled call is not interrupted (an interrupt could land in the middle of a JDBC call): it runs
     * and its result is dropped.
     */
    private <T> Mono<T> onWriter(String what, WriterTask<T> task) {
        return Mono.<T>create(sink -> {
            try {
                writerScheduler.schedule(() -> runTask(what, task, sink));
            } catch (RejectedExecutionException e) {
                sink.error(SqliteErrors.closed());
            }
        }).publishOn(delivery());
    }

    private <T> void runTask(String what, WriterTask<T> task, MonoSink<T> sink) {
        T value;
        try {
            value = task.run(sink.contextView());
        } catch (SQLException e) {
            sink.error(SqliteErrors.map(e, what));
            return;
        } catch (Throwable e) {
            sink.error(e);
            return;
        }
        sink.success(value);
    }

    private void requireOpen() {
        if (closed.get()) {
            throw SqliteErrors.closed();
        }
    }

    private Mono<Void> shutdown() {
        closed.set(true);
        return Mono.<Void>create(sink -> {
            try {
                writerScheduler.schedule(() -> {
                    feeds.closed();
                    closeConnections();
                    writerExecutor.shutdown();
                    sink.success();
                });
            } catch (RejectedExecutionException e) {
                feeds.closed();
                sink.success();
            }
        }).publishOn(delivery());
    }

    private void closeConnections() {
        if (checkpointer != null) {
            checkpointer.close();
            checkpointer = null;
        }
        ReadPool pool = readers;
        if (pool != null) {
            pool.close();
        }
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException ignored) {
                // Nothing more can be done with a connection that fails to close.
            }
            writer = null;
        }
    }

    /**
     * Where results are emitted: Reactor's parallel scheduler, looked up per call so a scheduler reset by
     * the application (or a test) is honoured.
     */
    private static Scheduler delivery() {
        return Schedulers.parallel();
    }

    private static Thread newWriterThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "flowfabric-sqlite-writer-" + WRITER_THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
