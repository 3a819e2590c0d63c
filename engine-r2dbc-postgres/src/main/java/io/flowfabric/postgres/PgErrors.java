package io.flowfabric.postgres;

import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.EngineException;
import io.flowfabric.api.error.TransientException;
import io.flowfabric.api.error.UnavailableException;
import io.r2dbc.spi.R2dbcException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import reactor.pool.PoolShutdownException;

/**
 * Maps driver and pool failures to the engine's exception families by exact SQLSTATE, always keeping the
 * driver exception as the cause. Errors that do not come from the driver (an {@link EngineException}
 * raised by the core engine, or a programming error inside transaction work) pass through unchanged, so a
 * bug is never disguised as an outage.
 */
final class PgErrors {
    static final String SERIALIZATION_FAILURE = "40001";
    static final String DEADLOCK_DETECTED = "40P01";
    /** SQLSTATE class 08: connection exceptions. */
    static final String CONNECTION_EXCEPTION_CLASS = "08";
    /** SQLSTATE class 23: integrity constraint violations (unique, foreign key, check, not null). */
    static final String INTEGRITY_CONSTRAINT_CLASS = "23";

    private PgErrors() {
    }

    /** The engine exception for {@code error}, or {@code error} itself when it is not a driver failure. */
    static Throwable translate(Throwable error) {
        if (error instanceof EngineException) {
            return error;
        }
        if (error instanceof R2dbcException driver) {
            return bySqlState(driver);
        }
        if (isConnectionFailure(error)) {
            return new UnavailableException("PostgreSQL is unreachable: " + error, error);
        }
        return error;
    }

    private static EngineException bySqlState(R2dbcException error) {
        String state = error.getSqlState();
        if (SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state)) {
            return new TransientException("PostgreSQL aborted the transaction (SQLSTATE " + state
                    + "); retrying it may succeed: " + error.getMessage(), error);
        }
        // Where a row may already exist, the engine writes with ON CONFLICT or checks first; a violation
        // therefore means the stored state does not allow the write, and repeating it unchanged cannot help.
        if (state != null && state.startsWith(INTEGRITY_CONSTRAINT_CLASS)) {
            return new ConflictException("PostgreSQL rejected the write: it violates a constraint (SQLSTATE "
                    + state + "): " + error.getMessage(), error);
        }
        if (state != null && state.startsWith(CONNECTION_EXCEPTION_CLASS)) {
            return new UnavailableException("PostgreSQL connection failed (SQLSTATE " + state + "): "
                    + error.getMessage(), error);
        }
        // No SQLSTATE: the driver or pool failed on its own (closed connection, acquire timeout).
        String what = state == null ? "PostgreSQL driver failure" : "PostgreSQL error (SQLSTATE " + state + ")";
        return new UnavailableException(what + ": " + error.getMessage(), error);
    }

    // Failures below the R2DBC layer: socket errors, a disposed pool, a timed-out acquire.
    private static boolean isConnectionFailure(Throwable error) {
        return error instanceof IOException || error instanceof PoolShutdownException
                || error instanceof TimeoutException;
    }
}
