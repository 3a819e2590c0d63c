package io.flowfabric.sqlite;

import io.flowfabric.api.error.EngineException;
import io.flowfabric.api.error.TransientException;
import io.flowfabric.api.error.UnavailableException;
import java.sql.SQLException;

/** Maps driver exceptions to the engine's exception families, always keeping the driver exception as cause. */
final class SqliteErrors {
    /** Primary result codes (the low byte of an extended code) that mean "another connection holds a lock". */
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;

    private SqliteErrors() {
    }

    /**
     * {@code SQLITE_BUSY} and {@code SQLITE_LOCKED} (including their extended codes) become a retryable
     * {@link TransientException}; everything else an {@link UnavailableException}.
     */
    static EngineException map(SQLException e, String operation) {
        int primary = e.getErrorCode() & 0xff;
        String message = "sqlite " + operation + " failed: " + e.getMessage();
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
            return new TransientException(message, e);
        }
        return new UnavailableException(message, e);
    }

    /** The error for any call on a closed store. */
    static UnavailableException closed() {
        return new UnavailableException("the sqlite store is closed");
    }
}
