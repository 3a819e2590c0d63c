package io.flowfabric.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints the write-ahead log of a file database on a thread and connection of its own, so the writer
 * thread does not copy pages into the database file inside a {@code COMMIT}.
 *
 * <p>After every {@value #COMMITS_PER_CHECKPOINT} group commits the writer asks for a checkpoint; one runs
 * at a time, as {@code PRAGMA wal_checkpoint(PASSIVE)}: it copies the frames no reader still needs and
 * never waits for, or blocks, the writer or the readers. Once a checkpoint has copied every frame, the
 * writer's next transaction starts the log again from its beginning, so the file stops growing. SQLite's
 * own automatic checkpoint stays on the writer as a safety net with a higher threshold ({@link
 * #WRITER_SAFETY_NET_PAGES}), for a log the background checkpoints do not keep short (measured: in S1 the
 * checkpoints inside COMMIT took about a third of the writer's COMMIT time).
 *
 * <p>A failed checkpoint is logged and retried with the next request; the log keeps every committed frame
 * until a checkpoint copies it, so no data depends on checkpoints succeeding.
 */
final class Checkpointer implements AutoCloseable {
    /** Group commits between two requested checkpoints (about 25 log pages each under load). */
    static final int COMMITS_PER_CHECKPOINT = 256;
    /** The log size, in pages, past which the writer checkpoints inside a COMMIT itself. */
    static final int WRITER_SAFETY_NET_PAGES = 40_000;

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final String CHECKPOINT = "PRAGMA wal_checkpoint(PASSIVE)";

    private final SqliteConnection connection;
    private final ExecutorService thread;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong completed = new AtomicLong();
    /** Touched by the writer thread only. */
    private int commitsSinceRequest;

    Checkpointer(SqliteConnection connection) {
        this.connection = connection;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "flowfabric-sqlite-checkpointer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Called by the writer thread after each successful group COMMIT. */
    void committed() {
        if (++commitsSinceRequest < COMMITS_PER_CHECKPOINT) {
            return;
        }
        if (running.compareAndSet(false, true)) {
            commitsSinceRequest = 0;
            try {
                thread.execute(this::checkpoint);
            } catch (RejectedExecutionException closing) {
                running.set(false);
            }
        }
    }

    /** How many background checkpoints ran to the end (whether or not readers kept frames back). */
    long completedCheckpoints() {
        return completed.get();
    }

    private void checkpoint() {
        try {
            PreparedStatement ps = connection.prepare(CHECKPOINT);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && LOG.isDebugEnabled()) {
                    LOG.debug("checkpoint: busy {}, log {} pages, {} copied", rs.getInt(1), rs.getInt(2), rs.getInt(3));
                }
            }
            completed.incrementAndGet();
        } catch (SQLException e) {
            LOG.warn("background WAL checkpoint failed; the next one retries: {}", e.getMessage());
        } finally {
            running.set(false);
        }
    }

    /** Waits for a running checkpoint, then closes the connection. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a WAL checkpoint is still running at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing more can be done with a connection that fails to close.
        }
    }
}
