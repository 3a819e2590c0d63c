package io.flowfabric.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.Engine;
import io.flowfabric.api.error.ConflictException;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.internal.SigningKeyRow;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * Two engines seeding the same kid with different secrets at the same moment: the signing-key lock makes
 * the second wait for the first and then fail with a conflict, instead of both reading "absent" and the
 * second silently replacing the first one's secret.
 */
class PgSigningKeySeedRaceTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String FIRST = "00112233445566778899aabbccddeeff";
    private static final String SECOND = "ffeeddccbbaa99887766554433221100";

    @Test
    void aConcurrentSeedWithAnotherSecretWaitsThenConflicts() throws InterruptedException {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase()
                .withReconcilers(ReconcilerSettings.manual());
        PgStore store = PostgresEngine.openStore(options).block(TIMEOUT);
        Engine engine = PostgresEngine.connect(options.withRunMigrations(false)).block(TIMEOUT);
        try {
            Sinks.Empty<Void> release = Sinks.empty();
            Sinks.Empty<Void> locked = Sinks.empty();
            SigningKeyRow first = new SigningKeyRow();
            first.kid = "k1";
            first.secret = HexFormat.of().parseHex(FIRST);
            first.current = true;
            // A first seeder holds the lock with its key written but not yet committed.
            Mono<Void> firstSeeder = store.inTransaction(tx -> tx.lockSigningKeys()
                    .then(tx.upsertSigningKey(first, 0L))
                    .then(((PgTx) tx).flush())
                    .then(Mono.fromRunnable(locked::tryEmitEmpty))
                    .then(release.asMono())).cache();
            firstSeeder.subscribe();
            locked.asMono().block(TIMEOUT);

            Mono<Boolean> second = engine.signals().seedSigningKey("k1", SECOND).cache();
            second.subscribe(ignored -> { }, ignored -> { });
            Thread.sleep(300);
            release.tryEmitEmpty();
            firstSeeder.block(TIMEOUT);

            StepVerifier.create(second).expectError(ConflictException.class).verify(TIMEOUT);
            // The first secret stands: seeding it again is a no-op, not a conflict.
            assertThat(engine.signals().seedSigningKey("k1", FIRST).block(TIMEOUT)).isFalse();
        } finally {
            engine.shutdown().block(TIMEOUT);
            store.close().block(TIMEOUT);
        }
    }
}
