package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.runtime.WorkerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Contract: claim hints. Creating or resuming work in a lane hints that lane's workers, so an idle worker
 * claims without waiting for its poll; other lanes are not hinted.
 */
public abstract class ClaimHintsContractTest extends ContractSupport {

    @Test
    void aCreateHintsItsLaneAndNoOther() {
        List<LaneId> hints = new CopyOnWriteArrayList<>();
        Disposable subscription = leases().claimHints(claimRequest()).subscribe(hints::add);
        try {
            // A backend may send one catch-all hint when its notification channel (re)connects.
            sleepQuietly(500);
            int before = hints.size();
            create(CreateExecution.of("k", LaneId.of(lane.value() + "-other"), Payload.EMPTY));
            sleepQuietly(500);
            assertThat(hints).as("hints after a create in another lane").hasSize(before);

            create("k");
            await(() -> hints.size() > before, "a hint for the lane");
            assertThat(hints).allSatisfy(hint -> assertThat(hint).isEqualTo(lane));
        } finally {
            subscription.dispose();
        }
    }

    @Test
    void anIdleWorkerClaimsNewWorkLongBeforeItsNextPoll() {
        WorkerRuntime worker = WorkerRuntime.builder(engine).lane(lane)
                .pollInterval(Duration.ofMinutes(10)).maxPollInterval(Duration.ofMinutes(10))
                .handler("k", ctx -> Mono.just(Payload.utf8("done")))
                .build();
        worker.start();
        try {
            // The first claim round at start finds nothing; the next poll is ten minutes away.
            sleepQuietly(500);
            ExecutionId id = create("k");
            await(() -> describe(id).publicState() == io.flowfabric.api.state.PublicState.COMPLETED,
                    "the execution completed by the hinted worker");
            assertThat(worker.stats().claimed()).isEqualTo(1);
        } finally {
            worker.shutdown().block(TIMEOUT);
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleepQuietly(10);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
