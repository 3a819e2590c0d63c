package io.flowfabric.examples.approval;

import io.flowfabric.api.Engine;
import io.flowfabric.sqlite.SqliteEngine;
import io.flowfabric.sqlite.SqliteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Runs {@link DeployApproval} on a fresh SQLite database under {@code target/deploy-approval}. */
public final class DeployApprovalMain {
    private DeployApprovalMain() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "deploy-approval"));
        Path db = dir.resolve("deploy.db");
        Files.deleteIfExists(db);
        // Signing keys come from configuration: FLOWFABRIC_SIGNING_KEYS="kid:hexsecret,..." or the demo key.
        String keys = System.getenv().getOrDefault("FLOWFABRIC_SIGNING_KEYS", DeployApproval.DEMO_SIGNING_KEY);
        Engine engine = SqliteEngine.open(SqliteOptions.file(db).withSigningKeys(keys)).block(Duration.ofSeconds(30));
        try {
            new DeployApproval(System.out::println).run(engine).block(Duration.ofMinutes(1));
        } finally {
            engine.close();
        }
    }
}
