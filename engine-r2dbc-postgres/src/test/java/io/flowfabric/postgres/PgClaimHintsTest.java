package io.flowfabric.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.state.PublicState;
import io.flowfabric.runtime.WorkerRuntime;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Claim hints cross engines: the trigger of migration V6 notifies every engine LISTENing on the database,
 * so a worker of one engine claims work another engine (another process, in production) created without
 * waiting for its poll.
 */
class PgClaimHintsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Engine producer;
    private Engine consumer;

    @BeforeEach
    void open() {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase()
                .withReconcilers(ReconcilerSettings.manual());
        producer = PostgresEngine.connect(options).block(TIMEOUT);
        consumer = PostgresEngine.connect(options).block(TIMEOUT);
    }

    @AfterEach
    void close() {
        producer.shutdown().block(TIMEOUT);
        consumer.shutdown().block(TIMEOUT);
    }

    @Test
    void aWorkerClaimsWorkAnotherEngineCreatedBeforeItsNextPoll() throws InterruptedException {
        LaneId lane = LaneId.of("hints-" + UUID.randomUUID());
        WorkerRuntime worker = WorkerRuntime.builder(consumer).lane(lane)
                .pollInterval(Duration.ofMinutes(10)).maxPollInterval(Duration.ofMinutes(10))
                .handler("k", ctx -> Mono.just(Payload.utf8("done")))
                .build();
        worker.start();
        try {
            // Let the first (empty) claim round and the LISTEN settle; the next poll is ten minutes away.
            Thread.sleep(1000);
            ExecutionId id = producer.executions().create(CreateExecution.of("k", lane, Payload.EMPTY))
                    .block(TIMEOUT).executionId();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (producer.executions().describe(id).block(TIMEOUT).publicState() != PublicState.COMPLETED) {
                assertThat(System.nanoTime()).as("completed by the hinted worker").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(worker.stats().claimed()).isEqualTo(1);
        } finally {
            worker.shutdown().block(TIMEOUT);
        }
    }
}
