package io.flowfabric.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.error.ValidationException;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.api.signal.SigningKey;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Parsing, defaults and validation of {@link PostgresOptions}. */
class PostgresOptionsTest {
    private static final String SECRET_1 = "00112233445566778899aabbccddeeff";
    private static final String SECRET_2 = "ffeeddccbbaa99887766554433221100";
    private static final String SECRET_3 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    @Test
    void fromUrlReadsEveryPart() {
        PostgresOptions options = PostgresOptions.fromUrl("postgresql://app:s%40cr+t@db.example:6543/orders?schema=ff");

        assertThat(options.host()).isEqualTo("db.example");
        assertThat(options.port()).isEqualTo(6543);
        assertThat(options.database()).isEqualTo("orders");
        assertThat(options.user()).isEqualTo("app");
        assertThat(options.password()).isEqualTo("s@cr+t");
        assertThat(options.schema()).isEqualTo("ff");
        assertThat(options.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/orders");
    }

    @Test
    void fromUrlAcceptsR2dbcPrefixAndAppliesDefaults() {
        PostgresOptions options = PostgresOptions.fromUrl("r2dbc:postgresql://app@localhost/db");

        assertThat(options.port()).isEqualTo(PostgresOptions.DEFAULT_PORT);
        assertThat(options.password()).isNull();
        assertThat(options.schema()).isEqualTo("public");
        assertThat(options.maxPoolSize()).isEqualTo(PostgresOptions.DEFAULT_MAX_POOL_SIZE);
        assertThat(options.clock()).isEqualTo(Clock.systemUTC());
        assertThat(options.runMigrations()).isTrue();
    }

    @Test
    void fromUrlRejectsWhatItCannotUse() {
        for (String bad : new String[] {"mysql://a@h/db", "postgresql://h/db", "postgresql://a@h/",
                "postgresql://a@h/db?sslmode=require", "postgresql://a@h:99999/db"}) {
            assertThatThrownBy(() -> PostgresOptions.fromUrl(bad)).as(bad).isInstanceOf(ValidationException.class);
        }
    }

    @Test
    void withCopiesChangeOneValue() {
        PostgresOptions base = PostgresOptions.of("h", 5432, "db", "u", "p");

        assertThat(base.withPoolSize(2, 4)).extracting(PostgresOptions::initialPoolSize, PostgresOptions::maxPoolSize)
                .containsExactly(2, 4);
        assertThat(base.withStatementTimeout(Duration.ZERO).statementTimeout()).isZero();
        assertThat(base.withRunMigrations(false).runMigrations()).isFalse();
        assertThat(base.withSchema("other").withHost("h2")).isEqualTo(
                PostgresOptions.of("h2", 5432, "db", "u", "p").withSchema("other"));
    }

    @Test
    void constructorValidates() {
        PostgresOptions base = PostgresOptions.of("h", 5432, "db", "u", null);

        assertThatThrownBy(() -> base.withSchema("bad-schema; drop")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> base.withMaxPoolSize(0)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> base.withInitialPoolSize(11)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> base.withMaxAcquireTime(Duration.ZERO)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> base.withStatementTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> base.withHost(" ")).isInstanceOf(ValidationException.class);
    }

    @Test
    void feedAndKeepAliveSettingsHaveDefaultsAndAreValidated() {
        PostgresOptions base = PostgresOptions.of("h", 5432, "db", "u", null);

        assertThat(base.keepAliveInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(base.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(base.feedDisconnectLimit()).isEqualTo(Duration.ofSeconds(60));
        assertThat(base.feedPollInterval()).isEqualTo(Duration.ofMillis(500));
        PostgresOptions changed = base.withKeepAlive(Duration.ofMillis(300), Duration.ofMillis(900))
                .withFeedDisconnectLimit(Duration.ZERO).withFeedPollInterval(Duration.ofSeconds(3));
        assertThat(changed).extracting(PostgresOptions::keepAliveInterval, PostgresOptions::keepAliveTimeout,
                PostgresOptions::feedDisconnectLimit, PostgresOptions::feedPollInterval).containsExactly(
                Duration.ofMillis(300), Duration.ofMillis(900), Duration.ZERO, Duration.ofSeconds(3));
        assertThat(PostgresEngine.feedSettings(changed)).satisfies(settings -> {
            assertThat(settings.pollInterval()).isEqualTo(Duration.ofSeconds(3));
            assertThat(settings.disconnectLimit()).isZero();
        });
        assertThat(changed.withHost("h2").feedPollInterval()).isEqualTo(Duration.ofSeconds(3));

        assertThatThrownBy(() -> base.withKeepAlive(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> base.withKeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> base.withFeedDisconnectLimit(Duration.ofSeconds(-1)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> base.withFeedPollInterval(Duration.ZERO)).isInstanceOf(ValidationException.class);
    }

    @Test
    void reconcilersDefaultToRunningAndCanBeChanged() {
        PostgresOptions base = PostgresOptions.of("h", 5432, "db", "u", null);

        assertThat(base.reconcilers()).isEqualTo(ReconcilerSettings.defaults());
        assertThat(base.toString()).contains("reconcilers=running");
        PostgresOptions manual = base.withReconcilers(ReconcilerSettings.manual());
        assertThat(manual.reconcilers().enabled()).isFalse();
        assertThat(manual.withHost("h2").withClock(Clock.systemUTC()).reconcilers()).isEqualTo(manual.reconcilers());
        assertThat(manual.toString()).contains("reconcilers=manual");
        assertThat(base.withReconcilers(null).reconcilers()).isEqualTo(ReconcilerSettings.defaults());
    }

    @Test
    void signingKeysAccumulateInOrderAndToStringShowsTheirKidsOnly() {
        PostgresOptions base = PostgresOptions.of("h", 5432, "db", "u", null);

        PostgresOptions options = base.withSigningKey("k1", SECRET_1).withSigningKeys(" k2:" + SECRET_2 + ",k3:"
                + SECRET_3);

        assertThat(base.signingKeys()).isEmpty();
        assertThat(options.signingKeys()).containsExactly(SigningKey.of("k1", SECRET_1), SigningKey.of("k2", SECRET_2),
                SigningKey.of("k3", SECRET_3));
        assertThat(options.withHost("h2").withReconcilers(ReconcilerSettings.manual()).signingKeys())
                .isEqualTo(options.signingKeys());
        assertThat(options.withSigningKeys(null).withSigningKeys(" ")).isEqualTo(options);
        assertThat(options.toString()).contains("signingKeys=[k1, k2, k3]").doesNotContain(SECRET_1)
                .doesNotContain(SECRET_2).doesNotContain(SECRET_3);
    }

    @Test
    void malformedSigningKeysAreValidationErrorsWithoutTheSecret() {
        PostgresOptions base = PostgresOptions.of("h", 5432, "db", "u", null);
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

    @Test
    void toStringHidesThePassword() {
        assertThat(PostgresOptions.of("h", 5432, "db", "u", "hunter2").toString()).doesNotContain("hunter2");
    }
}
