package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.signal.SigningKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SqliteOptionsTest {
    private static final String SECRET_1 = "00112233445566778899aabbccddeeff";
    private static final String SECRET_2 = "ffeeddccbbaa99887766554433221100";
    private static final String SECRET_3 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    @Test
    void fileHasTheDefaults() {
        SqliteOptions options = SqliteOptions.file(Path.of("data/ff.db"));

        assertThat(options.file()).isAbsolute().endsWithRaw(Path.of("data", "ff.db"));
        assertThat(options.isInMemory()).isFalse();
        assertThat(options.synchronous()).isEqualTo(SqliteOptions.Synchronous.NORMAL);
        assertThat(options.busyTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.readConnections()).isEqualTo(4);
        assertThat(options.clock()).isEqualTo(Clock.systemUTC());
        assertThat(options.feedPollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.feedPageSize()).isEqualTo(256);
        assertThat(options.reconcilers()).isEqualTo(ReconcilerSettings.defaults());
        assertThat(options.reconcilers().enabled()).isTrue();
        assertThat(options.feedSettings().pageSize()).isEqualTo(256);
        assertThat(options.feedSettings().pollInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void inMemoryHasNoFile() {
        assertThat(SqliteOptions.inMemory().file()).isNull();
        assertThat(SqliteOptions.inMemory().isInMemory()).isTrue();
    }

    @Test
    void withCopiesChangeOneComponent() {
        SqliteOptions base = SqliteOptions.inMemory();
        Clock clock = Clock.systemDefaultZone();

        SqliteOptions changed = base.withSynchronous(SqliteOptions.Synchronous.FULL)
                .withBusyTimeout(Duration.ZERO)
                .withReadConnections(1)
                .withClock(clock)
                .withFeedPollInterval(Duration.ofMillis(20))
                .withFeedPageSize(10_000)
                .withReconcilers(ReconcilerSettings.manual());

        assertThat(changed).isEqualTo(new SqliteOptions(null, SqliteOptions.Synchronous.FULL, Duration.ZERO, 1,
                clock, Duration.ofMillis(20), 10_000, ReconcilerSettings.manual(), null));
        assertThat(changed.feedSettings().pageSize()).isEqualTo(10_000);
        assertThat(changed.feedSettings().pollInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(base.synchronous()).isEqualTo(SqliteOptions.Synchronous.NORMAL);
        assertThat(base.reconcilers().enabled()).isTrue();
    }

    @Test
    void rejectsInvalidValuesWithValidationErrors() {
        SqliteOptions base = SqliteOptions.inMemory();

        List<ThrowingCallable> invalid = List.of(
                () -> base.withReadConnections(0),
                () -> base.withBusyTimeout(Duration.ofMillis(-1)),
                () -> base.withBusyTimeout(Duration.ofDays(30)),
                () -> base.withBusyTimeout(null),
                () -> base.withClock(null),
                () -> base.withSynchronous(null),
                () -> base.withFeedPollInterval(null),
                () -> base.withFeedPollInterval(Duration.ZERO),
                () -> base.withFeedPageSize(0),
                () -> base.withFeedPageSize(10_001),
                () -> base.withReconcilers(null),
                () -> SqliteOptions.file(null));
        for (ThrowingCallable call : invalid) {
            assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
                    e -> assertThat(e.kind()).isEqualTo(ValidationException.Kind.INVALID_INPUT));
        }
        assertThatThrownBy(() -> base.withFeedPageSize(0)).hasMessageContaining("feedPageSize");
        assertThatThrownBy(() -> base.withClock(null)).hasMessageContaining("clock is required");
    }

    @Test
    void signingKeysAccumulateInOrderAndToStringShowsTheirKidsOnly() {
        SqliteOptions base = SqliteOptions.inMemory();

        SqliteOptions options = base.withSigningKey("k1", SECRET_1).withSigningKeys(" k2:" + SECRET_2 + ",k3:"
                + SECRET_3);

        assertThat(base.signingKeys()).isEmpty();
        assertThat(options.signingKeys()).containsExactly(SigningKey.of("k1", SECRET_1), SigningKey.of("k2", SECRET_2),
                SigningKey.of("k3", SECRET_3));
        assertThat(options.withReadConnections(2).withReconcilers(ReconcilerSettings.manual()).signingKeys())
                .isEqualTo(options.signingKeys());
        assertThat(options.withSigningKeys(null).withSigningKeys(" ")).isEqualTo(options);
        assertThat(options.toString()).contains("signingKeys=[k1, k2, k3]").doesNotContain(SECRET_1)
                .doesNotContain(SECRET_2).doesNotContain(SECRET_3);
    }

    @Test
    void malformedSigningKeysAreValidationErrorsWithoutTheSecret() {
        SqliteOptions base = SqliteOptions.inMemory();
        String shortSecret = SECRET_1.substring(0, 30);

        assertThatThrownBy(() -> base.withSigningKeys("k1:" + shortSecret)).isInstanceOfSatisfying(
                ValidationException.class, e -> assertThat(e.kind()).isEqualTo(ValidationException.Kind.INVALID_INPUT))
                .hasMessageContaining("k1").hasMessageNotContaining(shortSecret);
        assertThatThrownBy(() -> base.withSigningKeys(SECRET_1)).isInstanceOf(ValidationException.class)
                .hasMessageNotContaining(SECRET_1);
        assertThatThrownBy(() -> base.withSigningKeys("k1:" + SECRET_1 + ",k2 " + SECRET_2))
                .isInstanceOf(ValidationException.class).hasMessageContaining("entry 2")
                .hasMessageNotContaining(SECRET_1).hasMessageNotContaining(SECRET_2);
        assertThatThrownBy(() -> base.withSigningKey("k1", "not hex at all"))
                .isInstanceOf(ValidationException.class).hasMessageNotContaining("not hex at all");
        assertThatThrownBy(() -> base.withSigningKey("k1", SECRET_1).withSigningKeys("k1:" + SECRET_2))
                .isInstanceOf(ValidationException.class).hasMessageContaining("k1").hasMessageNotContaining(SECRET_2);
    }
}
