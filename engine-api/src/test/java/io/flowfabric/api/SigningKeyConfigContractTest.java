package io.flowfabric.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.feed.SignalEvent;
import io.flowfabric.api.signal.CreateWaitpoint;
import io.flowfabric.api.signal.DeliverSignal;
import io.flowfabric.api.signal.IssuedWaitpoint;
import io.flowfabric.internal.TokenSigner;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Contract: signing keys configured in the backend options are seeded when the engine opens, idempotently,
 * so every restart may pass the same keys; a kid stored with another secret fails the start.
 */
public abstract class SigningKeyConfigContractTest extends ContractSupport {
    private static final String SECRET_1 = "00112233445566778899aabbccddeeff";
    private static final String SECRET_2 = "ffeeddccbbaa99887766554433221100";
    private static final String SECRET_3 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    /** A row of the signing key table as stored. */
    public record StoredKey(String kid, long createdAtMs, boolean current, Long validUntilMs, String secretHex) {
        @Override
        public String toString() {
            return "StoredKey[" + kid + ", created=" + createdAtMs + ", current=" + current + ", validUntil="
                    + validUntilMs + "]";
        }
    }

    /**
     * Opens an engine over the database called {@code database}: empty on first use in this test class,
     * the same database on every later call (so a later call is a restart). The options use
     * {@link #clock}, manual reconcilers, and seed {@code signingKeys} as the backend's
     * {@code withSigningKeys(String)} option parses it.
     */
    protected abstract Mono<Engine> openWithSigningKeys(String database, String signingKeys);

    /** The signing key table of {@code database}, ordered by kid. */
    protected abstract List<StoredKey> storedSigningKeys(String database);

    private Engine open(String database, String signingKeys) {
        return openWithSigningKeys(database, signingKeys).block(TIMEOUT);
    }

    private void with(String database, String signingKeys, Consumer<Engine> work) {
        Engine opened = open(database, signingKeys);
        try {
            work.accept(opened);
        } finally {
            opened.shutdown().block(TIMEOUT);
        }
    }

    /** A new execution of {@code on}, claimed, with one pending waitpoint. */
    private IssuedWaitpoint pendingWaitpoint(Engine on, ExecutionId[] created) {
        CreateResult result = on.executions().create(CreateExecution.of("k", lane, Payload.EMPTY)).block(TIMEOUT);
        ClaimedExecution held = on.leases().claim(claimRequest()).block(TIMEOUT);
        assertThat(held.executionId()).isEqualTo(result.executionId());
        created[0] = held.executionId();
        return on.signals().createWaitpoint(new CreateWaitpoint(held.executionId(), held.fence(), "cb", null))
                .block(TIMEOUT);
    }

    private static SignalEvent.Effect deliver(Engine on, ExecutionId id, IssuedWaitpoint waitpoint, String token) {
        return on.signals().deliver(DeliverSignal.of(id, waitpoint, "ping", "user", "ada").withToken(token))
                .block(TIMEOUT).effect();
    }

    @Test
    void theFirstConfiguredKeySignsAndEveryConfiguredKeyVerifies() {
        with("signs", " k1:" + SECRET_1 + " , k2:" + SECRET_2.toUpperCase(), started -> {
            ExecutionId[] id = new ExecutionId[1];
            IssuedWaitpoint waitpoint = pendingWaitpoint(started, id);
            assertThat(waitpoint.token().kid()).isEqualTo("k1");
            assertThat(deliver(started, id[0], waitpoint, waitpoint.token().reveal()))
                    .isEqualTo(SignalEvent.Effect.BUFFERED);
            String signedWithK2 = TokenSigner.sign("k2", HexFormat.of().parseHex(SECRET_2), id[0],
                    waitpoint.waitpointId()).reveal();
            assertThat(deliver(started, id[0], waitpoint, signedWithK2)).isEqualTo(SignalEvent.Effect.BUFFERED);
        });
        assertThat(storedSigningKeys("signs")).extracting(StoredKey::kid, StoredKey::current, StoredKey::secretHex)
                .containsExactly(tuple("k1", true, SECRET_1), tuple("k2", false, SECRET_2));
    }

    @Test
    void restartingWithTheSameKeysChangesNothing() {
        String keys = "k1:" + SECRET_1 + ",k2:" + SECRET_2;
        ExecutionId[] id = new ExecutionId[1];
        IssuedWaitpoint[] issued = new IssuedWaitpoint[1];
        with("restart", keys, started -> issued[0] = pendingWaitpoint(started, id));
        List<StoredKey> before = storedSigningKeys("restart");
        assertThat(before).hasSize(2);

        clock.advance(Duration.ofMinutes(5));
        with("restart", keys, restarted -> {
            assertThat(restarted.signals().seedSigningKey("k1", SECRET_1).block(TIMEOUT)).isFalse();
            assertThat(deliver(restarted, id[0], issued[0], issued[0].token().reveal()))
                    .isEqualTo(SignalEvent.Effect.BUFFERED);
        });
        with("restart", "k2:" + SECRET_2, restarted -> { });

        assertThat(storedSigningKeys("restart")).isEqualTo(before);
    }

    @Test
    void restartingWithAnotherSecretForAKnownKidFailsWithAConflict() {
        with("conflict", "k1:" + SECRET_1, started -> { });
        List<StoredKey> before = storedSigningKeys("conflict");

        StepVerifier.create(openWithSigningKeys("conflict", "k0:" + SECRET_2 + ",k1:" + SECRET_3))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ConflictException.class)
                        .hasMessageContaining("k1").hasMessageNotContaining(SECRET_1)
                        .hasMessageNotContaining(SECRET_3).hasMessageNotContaining(SECRET_2))
                .verify(TIMEOUT);

        // Not even the key listed before the conflicting one was written, and the database opens again.
        assertThat(storedSigningKeys("conflict")).isEqualTo(before);
        with("conflict", "k1:" + SECRET_1, restarted -> {
            ExecutionId[] id = new ExecutionId[1];
            assertThat(pendingWaitpoint(restarted, id).token().kid()).isEqualTo("k1");
        });
    }

    @Test
    void aConfiguredKeyDoesNotReplaceTheCurrentKey() {
        with("current", "", started -> assertThat(started.signals().seedSigningKey("k0", SECRET_3).block(TIMEOUT))
                .isTrue());
        with("current", "k1:" + SECRET_1, restarted -> {
            ExecutionId[] id = new ExecutionId[1];
            assertThat(pendingWaitpoint(restarted, id).token().kid()).isEqualTo("k0");
        });
        assertThat(storedSigningKeys("current")).extracting(StoredKey::kid, StoredKey::current)
                .containsExactly(tuple("k0", true), tuple("k1", false));
    }
}
