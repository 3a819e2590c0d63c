package io.flowfabric.sqlite;

import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.EngineException;
import io.flowfabric.api.error.TransientException;
import io.flowfabric.api.error.UnavailableException;
import java.sql.SQLException;

/** Maps driver exceptions to the engine's exception families, always keeping the driver exception as cause. */
final class SqliteErrors {
    /** Primary result codes (the low byte of an extended code) that mean "another connection holds a lock". */
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    /** Primary result code of every constraint violation (unique, primary key, foreign key, check, not null). */
    private static final int SQLITE_CONSTRAINT = 19;

    private SqliteErrors() {
    }

    /**
     * {@code SQLITE_BUSY} and {@code SQLITE_LOCKED} (including their extended codes) become a retryable
     * {@link TransientException}; {@code SQLITE_CONSTRAINT} a {@link ConflictException} (the stored state
     * does not allow the write, so repeating it unchanged cannot help); everything else an
     * {@link UnavailableException}.
     */
    static EngineException map(SQLException e, String operation) {
        int primary = e.getErrorCode() & 0xff;
        String message = "sqlite " + operation + " failed: " + e.getMessage();
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
            return new TransientException(message, e);
        }
        if (primary == SQLITE_CONSTRAINT) {
            return new ConflictException("sqlite " + operation + " violates a constraint: " + e.getMessage(), e);
        }
        return new UnavailableException(message, e);
    }

    /**
     * The error for the members of a group whose transaction ended without a COMMIT (see {@link GroupCommit})
     * and whose own work did not fail: as {@link #map}, except that a constraint violation (one checked at
     * COMMIT, such as a deferred foreign key) is an {@link UnavailableException}, because it may come from
     * another member of the group and the same transaction alone may well commit.
     */
    static EngineException groupFailure(SQLException e) {
        EngineException mapped = map(e, "transaction");
        return mapped instanceof ConflictException
                ? new UnavailableException("sqlite transaction failed with its group: " + e.getMessage(), e)
                : mapped;
    }

    /** The error for any call on a closed store. */
    static UnavailableException closed() {
        return new UnavailableException("the sqlite store is closed");
    }
}
