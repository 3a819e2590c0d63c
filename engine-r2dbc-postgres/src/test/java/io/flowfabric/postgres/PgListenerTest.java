package io.flowfabric.postgres;

import static io.flowfabric.postgres.FeedTestSupport.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.internal.Feed;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The shared LISTEN connection: wake-ups, re-LISTEN after a kill, the disconnect limit, close. */
class PgListenerTest {
    private static final Set<Feed> ALL = Set.of(Feed.values());

    @Test
    void emitsEveryFeedAfterListenThenTheFeedOfEachNotifiedChannel() {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase();
        PgListener listener = PostgresEngine.listener(options);

        StepVerifier.create(listener.wakeups())
                .recordWith(java.util.HashSet::new)
                .expectNextCount(4)
                .consumeRecordedWith(feeds -> assertThat(feeds).isEqualTo(ALL))
                .then(() -> PostgresTestDatabase.execute(options, "NOTIFY ff_lease"))
                .expectNext(Feed.LEASE)
                .then(() -> PostgresTestDatabase.execute(options, "NOTIFY some_other_channel"))
                .then(() -> PostgresTestDatabase.execute(options, "NOTIFY ff_signal, 'payload is ignored'"))
                .expectNext(Feed.SIGNAL)
                .then(() -> listener.close().block(TIMEOUT))
                .verifyComplete();
        StepVerifier.create(listener.wakeups()).verifyComplete();
    }

    @Test
    void aKilledConnectionIsReplacedAndEveryFeedIsEmittedAgain() {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase();
        PgListener listener = PostgresEngine.listener(options);
        long[] killedAt = new long[1];
        try {
            StepVerifier.create(listener.wakeups())
                    .expectNextCount(4)
                    .then(() -> awaitListening(options))
                    .then(() -> {
                        killedAt[0] = System.nanoTime();
                        assertThat(PgTestSql.terminateListenBackends(options)).isEqualTo(1);
                    })
                    .recordWith(java.util.HashSet::new)
                    .expectNextCount(4)
                    .consumeRecordedWith(feeds -> {
                        assertThat(feeds).isEqualTo(ALL);
                        System.out.println("[PgListenerTest] terminated LISTEN backend -> listening again in "
                                + (System.nanoTime() - killedAt[0]) / 1_000_000 + " ms");
                    })
                    .then(() -> PostgresTestDatabase.execute(options, "NOTIFY ff_completion"))
                    .expectNext(Feed.COMPLETION)
                    .thenCancel()
                    .verify(TIMEOUT);
            assertThat(PgTestSql.listenConnections(options)).isEqualTo(1);
        } finally {
            listener.close().block(TIMEOUT);
        }
    }

    /*
     * Nothing listens on the port: after the disconnect limit every current subscriber gets
     * UnavailableException, and a later subscriber starts connecting again (it also waits out the limit
     * instead of failing at once).
     */
    @Test
    void anUnreachableServerFailsAfterTheLimitAndALaterSubscriberTriesAgain() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Duration limit = Duration.ofMillis(700);
        PgListener listener = PostgresEngine.listener(PostgresOptions.of("127.0.0.1", closedPort, "db", "u", null)
                .withFeedDisconnectLimit(limit));
        try {
            for (int round = 0; round < 2; round++) {
                long start = System.nanoTime();
                StepVerifier.create(Flux.merge(listener.wakeups(), listener.wakeups()))
                        .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(UnavailableException.class)
                                .hasMessageContaining("LISTEN"))
                        .verify(TIMEOUT);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("round %d", round)
                        .isGreaterThanOrEqualTo(limit);
            }
        } finally {
            listener.close().block(TIMEOUT);
        }
    }

    private static void awaitListening(PostgresOptions options) {
        try {
            PgFeedEngineTest.waitForListenConnection(options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
