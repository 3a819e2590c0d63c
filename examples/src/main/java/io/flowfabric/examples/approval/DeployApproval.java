package io.flowfabric.examples.approval;

import io.flowfabric.api.CreateExecution;
import io.flowfabric.api.CreateResult;
import io.flowfabric.api.Engine;
import io.flowfabric.api.ExecutionId;
import io.flowfabric.api.LaneId;
import io.flowfabric.api.Payload;
import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.signal.DeliverSignal;
import io.flowfabric.api.signal.IssuedWaitpoint;
import io.flowfabric.api.signal.ResumeCondition;
import io.flowfabric.api.signal.SignalDelivery;
import io.flowfabric.runtime.HandlerContext;
import io.flowfabric.runtime.WorkerRuntime;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A deploy gated by human approval: the {@code deploy} execution builds, then suspends until two distinct
 * approvers sign off through the waitpoint's token, then deploys. A forged token is rejected on the way.
 * Every step is reported to {@code out}.
 */
public final class DeployApproval {
    static final String KIND = "deploy";
    static final String GATE = "approvals";
    static final ResumeCondition TWO_APPROVERS = new ResumeCondition.Count(2,
            ResumeCondition.CountKind.DISTINCT_SOURCES, List.of(GATE), "approved");
    /** A signing key for demonstrations only ({@code kid:hexsecret}); real keys come from secret storage. */
    public static final String DEMO_SIGNING_KEY = "deploy-key-1:5f0c2b7e9a1d4c3b8e6f0a2d4c6e8f10";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Consumer<String> out;

    public DeployApproval(Consumer<String> out) {
        this.out = out;
    }

    /**
     * Runs the scenario on {@code engine}, which must have a signing key (configured in its options, for
     * example {@link #DEMO_SIGNING_KEY}), and emits the deploy's result.
     */
    public Mono<String> run(Engine engine) {
        Sinks.One<IssuedWaitpoint> gate = Sinks.one();
        LaneId lane = LaneId.of("deploys");
        WorkerRuntime worker = WorkerRuntime.builder(engine).lane(lane).pollInterval(Duration.ofMillis(20))
                .handler(KIND, ctx -> handle(ctx, gate))
                .build();
        // The worker is shut down before the returned Mono completes, so the caller may close the engine.
        return Mono.usingWhen(Mono.fromSupplier(() -> {
                    worker.start();
                    return worker;
                }), running -> engine.executions().create(CreateExecution.of(KIND, lane, Payload.utf8("release-2026.11")))
                        .map(CreateResult::executionId)
                        .flatMap(id -> gate.asMono().timeout(WAIT).flatMap(waitpoint -> approve(engine, id, waitpoint))
                                .then(engine.feeds().awaitCompletion(id).timeout(WAIT))
                                .then(engine.executions().result(id))), WorkerRuntime::shutdown)
                .map(Payload::asUtf8)
                .doOnNext(result -> out.accept("result: " + result));
    }

    private Mono<Payload> handle(HandlerContext ctx, Sinks.One<IssuedWaitpoint> gate) {
        if (ctx.isResumed()) {
            String approvers = ctx.signals().stream().map(s -> s.sourceIdentity()).distinct().sorted()
                    .collect(Collectors.joining(","));
            out.accept("deploy: " + ctx.payload().asUtf8() + " approved by " + approvers);
            return Mono.just(Payload.utf8("deployed " + ctx.payload().asUtf8() + " (approved by " + approvers + ")"));
        }
        out.accept("build: " + ctx.payload().asUtf8() + " built; waiting for two approvals");
        return ctx.suspend(TWO_APPROVERS, waitpoints -> gate.tryEmitValue(waitpoints.get(0)));
    }

    private Mono<Void> approve(Engine engine, ExecutionId id, IssuedWaitpoint waitpoint) {
        out.accept("gate: waitpoint " + waitpoint.waitpointKey() + " token " + waitpoint.token());
        String digest = waitpoint.token().digestHex();
        String forged = waitpoint.token().kid() + ":" + (digest.charAt(0) == '0' ? '1' : '0') + digest.substring(1);
        return deliver(engine, DeliverSignal.of(id, waitpoint, "approved", "user", "alice"))
                .then(engine.signals().deliver(DeliverSignal.of(id, waitpoint, "approved", "user", "mallory")
                                .withToken(forged))
                        .doOnNext(d -> out.accept("mallory: accepted?! " + d))
                        .onErrorResume(ValidationException.class, e -> {
                            out.accept("mallory: rejected (" + e.kind().name().toLowerCase(java.util.Locale.ROOT) + ")");
                            return Mono.<SignalDelivery>empty();
                        }))
                .then(deliver(engine, DeliverSignal.of(id, waitpoint, "approved", "user", "alice")))
                .then(deliver(engine, DeliverSignal.of(id, waitpoint, "approved", "user", "bob")))
                .then();
    }

    private Mono<SignalDelivery> deliver(Engine engine, DeliverSignal signal) {
        return engine.signals().deliver(signal).doOnNext(d -> out.accept(signal.sourceIdentity() + ": "
                + d.effect().name().toLowerCase(java.util.Locale.ROOT)));
    }
}
