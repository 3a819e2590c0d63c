package io.flowfabric.postgres;

import static io.flowfabric.postgres.TestRows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.ClaimRequest;
import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Namespace;
import io.flowfabric.api.Payload;
import io.flowfabric.api.TestClock;
import io.flowfabric.api.WorkerId;
import io.flowfabric.api.WorkerInstanceId;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.state.OwnershipState;
import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.ListQuery;
import io.r2dbc.pool.ConnectionPool;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
    void theEngineRunsTheReconcilerLoopsByDefault() throws InterruptedException {
        TestClock clock = TestClock.startingNow();
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase().withClock(clock);
        assertThat(options.reconcilers()).isEqualTo(ReconcilerSettings.defaults());
        Engine engine = PostgresEngine.connect(options).block(TIMEOUT);
        try {
            LaneId lane = LaneId.of("loop");
            ExecutionId id = engine.executions().create(CreateExecution.of("k", lane, Payload.EMPTY)).block(TIMEOUT)
                    .executionId();
            engine.leases().claim(ClaimRequest.of(lane, WorkerId.of("w"), WorkerInstanceId.of("i"))
                    .withLeaseTtl(Duration.ofSeconds(1))).block(TIMEOUT);
            clock.advance(Duration.ofSeconds(1));

            // Nobody calls runOnce: the lease-expiry loop (every 1.5 s by default) must notice on its own.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            OwnershipState ownership = OwnershipState.LEASED;
            while (ownership == OwnershipState.LEASED && System.nanoTime() < deadline) {
                Thread.sleep(100);
                ownership = engine.executions().describe(id).block(TIMEOUT).state().ownershipState();
            }
            assertThat(ownership).isEqualTo(OwnershipState.LEASE_EXPIRED_RECLAIMABLE);
        } finally {
            engine.shutdown().block(TIMEOUT);
        }
    }

    @Test
    void bothConnectMethodsHandTheReconcilerSettingsToTheEngine() {
        ReconcilerSettings settings = ReconcilerSettings.manual()
                .withFilter(Namespace.of("only-this"), "app.team", "a");
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase().withReconcilers(settings);
        ConnectionPool pool = PostgresEngine.pool(options);
        try {
            for (Engine engine : new Engine[] {PostgresEngine.connect(options).block(TIMEOUT),
                    PostgresEngine.connect(pool, options).block(TIMEOUT)}) {
                assertThat(engine.reconcilers().leaseExpiry().config()).isEqualTo(settings.leaseExpiry());
                assertThat(engine.reconcilers().retention().config()).isEqualTo(settings.retention());
                engine.shutdown().block(TIMEOUT);
            }
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

    @Test
    void aSigningKeyConflictFailsConnectAndClosesWhatItOpened() throws Exception {
        String secret = "00112233445566778899aabbccddeeff";
        String other = "ffeeddccbbaa99887766554433221100";
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase().withPoolSize(2, 4);
        PostgresEngine.connect(options.withSigningKey("k1", secret)).block(TIMEOUT).shutdown().block(TIMEOUT);
        awaitSessions(options, 0);

        StepVerifier.create(PostgresEngine.connect(options.withSigningKey("k1", other)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConflictException.class)
                        .hasMessageNotContaining(other).hasMessageNotContaining(secret))
                .verify(TIMEOUT);
        assertThat(awaitSessions(options, 0)).as("sessions left open by the failed connect").isZero();

        ConnectionPool pool = PostgresEngine.pool(options);
        try {
            StepVerifier.create(PostgresEngine.connect(pool, options.withSigningKey("k1", other)))
                    .expectError(ConflictException.class).verify(TIMEOUT);
            assertThat(pool.isDisposed()).as("an application-owned pool stays open").isFalse();
        } finally {
            pool.dispose();
        }
    }

    /** Waits up to 10 s for the database to have {@code expected} other sessions; returns the last count. */
    private static long awaitSessions(PostgresOptions options, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long sessions;
        do {
            try (Connection jdbc = DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
                    Statement statement = jdbc.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
                            + "WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
                rs.next();
                sessions = rs.getLong(1);
            }
            if (sessions != expected) {
                Thread.sleep(50);
            }
        } while (sessions != expected && System.nanoTime() < deadline);
        return sessions;
    }
}
