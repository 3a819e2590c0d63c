package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.state.StateVector;
import io.flowfabric.api.state.Transition;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Mono;

/**
 * Base of the backend contract suites. A backend module extends each suite and supplies
 * {@link #openEngine(Clock)}; every suite then runs unchanged against it. One engine serves a test class
 * (each test works in its own lane, so tests do not see each other's executions), and time is a
 * {@link TestClock} the tests advance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContractSupport {
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);

    protected final TestClock clock = TestClock.startingNow();
    protected Engine engine;
    protected LaneId lane;

    /**
     * Opens an engine over a fresh, empty database of the backend under test, using {@code clock} and the
     * given reconciler settings.
     */
    protected abstract Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers);

    /** The engine the suites share: reconcilers off, so only explicit {@code runOnce()} calls move time-based state. */
    @BeforeAll
    void openEngineOnce() {
        engine = openEngine(clock, ReconcilerSettings.manual()).block(TIMEOUT);
    }

    @AfterAll
    void closeEngine() {
        if (engine != null) {
            engine.shutdown().block(TIMEOUT);
        }
    }

    @BeforeEach
    void freshLane() {
        lane = LaneId.of("lane-" + UUID.randomUUID().toString().substring(0, 8));
    }

    protected Executions executions() {
        return engine.executions();
    }

    protected Leases leases() {
        return engine.leases();
    }

    protected ExecutionId create(String kind) {
        return create(CreateExecution.of(kind, lane, Payload.utf8("{\"n\":1}")));
    }

    protected ExecutionId create(CreateExecution request) {
        CreateResult result = executions().create(request).block(TIMEOUT);
        assertThat(result).isInstanceOf(CreateResult.Created.class);
        return result.executionId();
    }

    protected ClaimRequest claimRequest() {
        return ClaimRequest.of(lane, WorkerId.of("worker-a"), WorkerInstanceId.of("instance-1"));
    }

    protected ClaimedExecution claim() {
        ClaimedExecution claimed = leases().claim(claimRequest()).block(TIMEOUT);
        assertThat(claimed).as("a claimable execution").isNotNull();
        return claimed;
    }

    protected ExecutionSnapshot describe(ExecutionId id) {
        return executions().describe(id).block(TIMEOUT);
    }

    protected void assertState(ExecutionId id, Transition transition) {
        StateVector state = describe(id).state();
        assertThat(state).as("state after " + transition).isEqualTo(transition.target());
    }
}
