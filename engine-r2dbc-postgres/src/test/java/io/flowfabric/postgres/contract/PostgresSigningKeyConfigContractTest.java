package io.flowfabric.postgres.contract;

import io.flowfabric.api.Engine;
import io.flowfabric.api.SigningKeyConfigContractTest;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.postgres.PostgresEngine;
import io.flowfabric.postgres.PostgresOptions;
import io.flowfabric.postgres.PostgresTestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/** Runs the configured signing key contract against fresh PostgreSQL databases. */
class PostgresSigningKeyConfigContractTest extends SigningKeyConfigContractTest {
    private final Map<String, PostgresOptions> databases = new ConcurrentHashMap<>();

    @Override
    protected Mono<Engine> openEngine(Clock clock, ReconcilerSettings reconcilers) {
        return PostgresEngine.connect(PostgresTestDatabase.instance().freshDatabase().withClock(clock)
                .withReconcilers(reconcilers));
    }

    @Override
    protected Mono<Engine> openWithSigningKeys(String database, String signingKeys) {
        return PostgresEngine.connect(database(database).withClock(clock).withReconcilers(ReconcilerSettings.manual())
                .withSigningKeys(signingKeys));
    }

    @Override
    protected List<StoredKey> storedSigningKeys(String database) {
        PostgresOptions options = database(database);
        try (Connection jdbc = DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
                Statement statement = jdbc.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT kid, created_at_ms, is_current, valid_until_ms, encode(secret, 'hex') AS secret_hex
                        FROM ff_waitpoint_hmac ORDER BY kid""")) {
            List<StoredKey> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(new StoredKey(rs.getString("kid"), rs.getLong("created_at_ms"), rs.getBoolean("is_current"),
                        rs.getObject("valid_until_ms", Long.class), rs.getString("secret_hex")));
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private PostgresOptions database(String name) {
        return databases.computeIfAbsent(name, n -> PostgresTestDatabase.instance().freshDatabase());
    }
}
