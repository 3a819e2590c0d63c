package io.flowfabric.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.NotFoundException;
import io.flowfabric.api.error.TransientException;
import io.flowfabric.api.error.UnavailableException;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import reactor.pool.PoolShutdownException;

/** SQLSTATE and failure-class mapping of {@link PgErrors}. */
class PgErrorsTest {

    @Test
    void serializationFailureAndDeadlockAreTransient() {
        R2dbcRollbackException serialization = new R2dbcRollbackException("could not serialize", "40001");
        R2dbcTransientResourceException deadlock = new R2dbcTransientResourceException("deadlock", "40P01");

        assertThat(PgErrors.translate(serialization)).isInstanceOf(TransientException.class).hasCause(serialization);
        assertThat(PgErrors.translate(deadlock)).isInstanceOf(TransientException.class).hasCause(deadlock);
    }

    @Test
    void connectionExceptionsAreUnavailable() {
        R2dbcNonTransientResourceException refused =
                new R2dbcNonTransientResourceException("connection failure", "08006");
        R2dbcNonTransientResourceException closed = new R2dbcNonTransientResourceException("closed");
        ConnectException socket = new ConnectException("refused");
        PoolShutdownException pool = new PoolShutdownException();

        assertThat(PgErrors.translate(refused)).isInstanceOf(UnavailableException.class).hasCause(refused);
        assertThat(PgErrors.translate(closed)).isInstanceOf(UnavailableException.class).hasCause(closed);
        assertThat(PgErrors.translate(socket)).isInstanceOf(UnavailableException.class).hasCause(socket);
        assertThat(PgErrors.translate(pool)).isInstanceOf(UnavailableException.class).hasCause(pool);
    }

    @Test
    void integrityConstraintViolationsAreConflictsNotWorthRepeating() {
        R2dbcDataIntegrityViolationException unique =
                new R2dbcDataIntegrityViolationException("duplicate key value violates unique constraint", "23505");
        R2dbcDataIntegrityViolationException foreignKey =
                new R2dbcDataIntegrityViolationException("violates foreign key constraint", "23503");

        assertThat(PgErrors.translate(unique)).isInstanceOf(ConflictException.class).hasCause(unique)
                .hasMessageContaining("23505");
        assertThat(PgErrors.translate(unique)).matches(e -> !((ConflictException) e).isRetryable());
        assertThat(PgErrors.translate(foreignKey)).isInstanceOf(ConflictException.class).hasCause(foreignKey);
    }

    @Test
    void anyOtherDriverErrorIsUnavailableWithItsCause() {
        R2dbcBadGrammarException grammar = new R2dbcBadGrammarException("syntax error", "42601");
        R2dbcTimeoutException acquire = new R2dbcTimeoutException("acquire timed out");
        R2dbcRollbackException otherRollback = new R2dbcRollbackException("integrity", "40002");

        assertThat(PgErrors.translate(grammar)).isInstanceOf(UnavailableException.class).hasCause(grammar)
                .hasMessageContaining("42601");
        assertThat(PgErrors.translate(acquire)).isInstanceOf(UnavailableException.class).hasCause(acquire);
        assertThat(PgErrors.translate(otherRollback)).isInstanceOf(UnavailableException.class);
    }

    @Test
    void engineAndProgrammingErrorsPassThrough() {
        NotFoundException notFound = new NotFoundException("execution", "x");
        IllegalArgumentException bug = new IllegalArgumentException("bug");

        assertThat(PgErrors.translate(notFound)).isSameAs(notFound);
        assertThat(PgErrors.translate(bug)).isSameAs(bug);
    }
}
