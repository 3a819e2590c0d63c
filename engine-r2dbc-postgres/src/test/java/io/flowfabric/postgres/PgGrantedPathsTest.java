package io.flowfabric.postgres;

import io.flowfabric.api.Engine;
import io.flowfabric.api.GrantedPathsContract;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.r2dbc.pool.ConnectionPool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one-statement claim and completion ({@link PgClaim}, {@link PgComplete}) against the core's
 * transactional paths, each on its own fresh database.
 */
class PgGrantedPathsTest extends GrantedPathsContract {
    private final Map<Boolean, PostgresOptions> databases = new HashMap<>();

    @Override
    protected Engine open(boolean granted) {
        PostgresOptions options = PostgresTestDatabase.instance().freshDatabase().withClock(clock)
                .withReconcilers(ReconcilerSettings.manual());
        databases.put(granted, options);
        ConnectionPool pool = PostgresEngine.pool(options);
        PgStore store = new PgStore(pool, PostgresEngine.listener(options), pool.disposeLater(), granted);
        PgMigrations.migrate(options).block(TIMEOUT);
        return PostgresEngine.start(store, options).block(TIMEOUT);
    }

    @Override
    protected Connection jdbc(boolean granted) throws SQLException {
        PostgresOptions options = databases.get(granted);
        return DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
    }

    @Override
    protected List<String> comparedQueries() {
        return List.of(
                "SELECT * FROM ff_exec_core ORDER BY execution_id",
                "SELECT * FROM ff_attempt ORDER BY execution_id, attempt_index",
                "SELECT execution_id, namespace, event_type, tags_json, occurred_at_ms, details_json - 'lease_id'"
                        + " AS details FROM ff_lease_event ORDER BY event_id",
                "SELECT execution_id, namespace, event_type, tags_json, occurred_at_ms, details_json"
                        + " FROM ff_completion_event ORDER BY event_id");
    }
}
