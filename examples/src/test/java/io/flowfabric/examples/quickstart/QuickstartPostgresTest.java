package io.flowfabric.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.Engine;
import io.flowfabric.postgres.PostgresEngine;
import io.flowfabric.postgres.PostgresTestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;

/** Runs the quickstart on the fixture directory against a fresh PostgreSQL database. */
@Timeout(180)
class QuickstartPostgresTest {

    @Test
    void theJobReportsTheFixtureExactly() {
        QuickstartSettings settings = QuickstartSettings.defaults(line -> { });

        QuickstartReport report = Mono.usingWhen(
                        PostgresEngine.connect(PostgresTestDatabase.instance().freshDatabase()),
                        engine -> new QuickstartJob().run(engine, QuickstartFixture.directory(), settings),
                        Engine::shutdown)
                .block(Duration.ofSeconds(150));

        QuickstartFixture.assertReport(report);
        assertThat(report.backend()).isEqualTo("postgres");
    }
}
