package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.Engine;
import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.ListQuery;
import io.r2dbc.pool.ConnectionPool;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Opening engines and stores: schemas, application-owned factories, unreachable servers. */
class PostgresEngineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void connectReturnsAPostgresEngineWithTheOptionsClock() {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase();

        Engine engine = PostgresEngine.connect(options).block(TIMEOUT);

        assertThat(engine.backend()).isEqualTo("postgres");
        assertThat(engine.clock()).isSameAs(options.clock());
        StepVerifier.create(engine.shutdown().then(engine.shutdown())).verifyComplete();
    }

    @Test
    void aNonDefaultSchemaIsCreatedAndUsed() {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase().withSchema("tenant_a");
        PgStore store = PostgresEngine.openStore(options).block(TIMEOUT);
        ExecutionRow row = TestRows.runnable(TestRows.uniqueNamespace(), "l", 0, T0);
        try {
            store.inTransaction(tx -> tx.insertExecution(row)).block(TIMEOUT);
            assertThat(store.read(reads -> reads.findExecution(row.id())).block(TIMEOUT)).isNotNull();
        } finally {
            store.close().block(TIMEOUT);
        }
        // The tables live in tenant_a only.
        PostgresTestDatabase.execute(options, "SELECT 1 FROM tenant_a.ff_exec_core");
        PostgresTestDatabase.execute(options, """
                DO $$ BEGIN
                    IF to_regclass('public.ff_exec_core') IS NOT NULL THEN RAISE EXCEPTION 'found in public'; END IF;
                END $$""");
    }

    @Test
    void anApplicationOwnedFactoryIsUsedAndLeftOpen() {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase();
        ConnectionPool pool = PostgresEngine.pool(options);
        try {
            Engine engine = PostgresEngine.connect(pool, options).block(TIMEOUT);
            engine.shutdown().block(TIMEOUT);

            assertThat(pool.isDisposed()).isFalse();
            PgStore store = new PgStore(pool, PostgresEngine.listener(options), Mono.empty());
            StepVerifier.create(store.read(reads -> reads.listExecutions(
                    new ListQuery(null, null, null, T0, null, null, null, 1)).count()))
                    .expectNext(0L).verifyComplete();
        } finally {
            pool.dispose();
        }
    }

    @Test
    void anUnreachableServerFailsAsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        PostgresOptions nowhere = PostgresOptions.of("127.0.0.1", closedPort, "db", "u", null);

        StepVerifier.create(PostgresEngine.connect(nowhere)).expectError(UnavailableException.class).verify(TIMEOUT);
        StepVerifier.create(PostgresEngine.connect(nowhere.withRunMigrations(false)))
                .expectError(UnavailableException.class).verify(TIMEOUT);
    }
}
