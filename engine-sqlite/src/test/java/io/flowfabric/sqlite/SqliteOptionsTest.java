package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.reconcile.ReconcilerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqliteOptionsTest {

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
                clock, Duration.ofMillis(20), 10_000, ReconcilerSettings.manual()));
        assertThat(changed.feedSettings().pageSize()).isEqualTo(10_000);
        assertThat(changed.feedSettings().pollInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(base.synchronous()).isEqualTo(SqliteOptions.Synchronous.NORMAL);
        assertThat(base.reconcilers().enabled()).isTrue();
    }

    @Test
    void rejectsInvalidValues() {
        SqliteOptions base = SqliteOptions.inMemory();

        assertThatThrownBy(() -> base.withReadConnections(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withBusyTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withBusyTimeout(Duration.ofDays(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withClock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> base.withSynchronous(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> base.withFeedPollInterval(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> base.withFeedPollInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withFeedPageSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withFeedPageSize(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withReconcilers(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> SqliteOptions.file(null)).isInstanceOf(NullPointerException.class);
    }
}
