package io.flowfabric.examples.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.api.Engine;
import io.flowfabric.sqlite.SqliteEngine;
import io.flowfabric.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployApprovalTest {

    @Test
    void twoDistinctApproversReleaseTheDeployAndAForgedTokenIsRejected(@TempDir Path dir) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Engine engine = SqliteEngine.open(SqliteOptions.file(dir.resolve("deploy.db"))
                .withSigningKeys(DeployApproval.DEMO_SIGNING_KEY)).block(Duration.ofSeconds(30));
        try {
            String result = new DeployApproval(lines::add).run(engine).block(Duration.ofMinutes(1));
            assertThat(result).isEqualTo("deployed release-2026.11 (approved by alice,bob)");
        } finally {
            engine.close();
        }
        assertThat(lines).containsSubsequence(
                "build: release-2026.11 built; waiting for two approvals",
                "alice: buffered",
                "mallory: rejected (invalid_token)",
                "alice: buffered",
                "bob: satisfied",
                "deploy: release-2026.11 approved by alice,bob",
                "result: deployed release-2026.11 (approved by alice,bob)");
        String gate = lines.stream().filter(l -> l.startsWith("gate:")).findFirst().orElseThrow();
        assertThat(gate).contains("redacted");
    }
}
