package io.flowfabric.sqlite.contract;

import io.flowfabric.api.Engine;
import io.flowfabric.api.SigningKeyConfigContractTest;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.sqlite.SqliteEngine;
import io.flowfabric.sqlite.SqliteOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Mono;

/** Runs the configured signing key contract against SQLite files. */
class SqliteSigningKeyConfigContractTest extends SigningKeyConfigContractTest {
    private final Path dir;

    SqliteSigningKeyConfigContractTest() throws IOException {
        dir = Files.createTempDirectory("flowfabric-keys");
        dir.toFile().deleteOnExit();
    }

    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return SqliteContractEngines.open(clock, reconcilers);
    }

    @Override
    protected Mono<Engine> openWithSigningKeys(String database, String signingKeys) {
        return SqliteEngine.open(SqliteOptions.file(file(database)).withClock(clock)
                .withReconcilers(ReconcilerSettings.manual()).withSigningKeys(signingKeys));
    }

    @Override
    protected List<StoredKey> storedSigningKeys(String database) {
        try (Connection jdbc = DriverManager.getConnection("jdbc:sqlite:" + file(database));
                Statement statement = jdbc.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT kid, created_at_ms, is_current, valid_until_ms, hex(secret) AS secret_hex
                        FROM ff_waitpoint_hmac ORDER BY kid""")) {
            List<StoredKey> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(new StoredKey(rs.getString("kid"), rs.getLong("created_at_ms"), rs.getInt("is_current") == 1,
                        rs.getObject("valid_until_ms") == null ? null : rs.getLong("valid_until_ms"),
                        rs.getString("secret_hex").toLowerCase(Locale.ROOT)));
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path file(String database) {
        return dir.resolve(database + ".db");
    }
}
