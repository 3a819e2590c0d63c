package io.flowfabric.sqlite;

import io.flowfabric.api.error.TransientException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed set of read-only connections to a file database. A read call borrows one connection for its
 * whole duration on one thread and returns it; borrowing blocks, so it is only called on threads that may
 * block (Reactor's bounded-elastic scheduler).
 */
final class ReadPool {
    /** How often a waiting borrower re-checks whether the pool was closed. */
    private static final long POLL_SLICE_MS = 100;

    private final BlockingQueue<SqliteConnection> idle;
    private final long acquireTimeoutMs;
    private volatile boolean closed;

    /**
     * @param connections the pooled connections, owned by the pool from now on
     * @param acquireTimeout how long a borrower waits for a free connection before a
     *     {@link TransientException}
     */
    ReadPool(List<SqliteConnection> connections, Duration acquireTimeout) {
        this.idle = new ArrayBlockingQueue<>(connections.size(), false, connections);
        this.acquireTimeoutMs = acquireTimeout.toMillis();
    }

    /**
     * Borrows a connection.
     *
     * @throws TransientException when none becomes free within the acquire timeout
     * @throws io.flowfabric.api.error.UnavailableException when the pool is or gets closed
     * @throws InterruptedException when the waiting thread is interrupted (the read was cancelled)
     */
    SqliteConnection acquire() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(acquireTimeoutMs);
        while (true) {
            if (closed) {
                throw SqliteErrors.closed();
            }
            SqliteConnection connection = idle.poll(POLL_SLICE_MS, TimeUnit.MILLISECONDS);
            if (connection != null) {
                return handBack(connection);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TransientException("no sqlite read connection became free within "
                        + acquireTimeoutMs + " ms", null);
            }
        }
    }

    /** Returns a borrowed connection; after {@link #close()} it is closed instead. */
    void release(SqliteConnection connection) {
        if (closed) {
            closeQuietly(connection);
            return;
        }
        idle.add(connection);
        if (closed && idle.remove(connection)) {
            closeQuietly(connection);
        }
    }

    /** Closes the idle connections now and every borrowed one when it comes back. Idempotent. */
    void close() {
        closed = true;
        SqliteConnection connection;
        while ((connection = idle.poll()) != null) {
            closeQuietly(connection);
        }
    }

    private SqliteConnection handBack(SqliteConnection connection) {
        if (closed) {
            closeQuietly(connection);
            throw SqliteErrors.closed();
        }
        return connection;
    }

    private static void closeQuietly(SqliteConnection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing during shutdown: nothing useful can be done with the failure.
        }
    }
}
