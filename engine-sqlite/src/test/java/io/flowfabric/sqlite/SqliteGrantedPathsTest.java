package io.flowfabric.sqlite;

import io.flowfabric.api.Engine;
import io.flowfabric.api.GrantedPathsContract;
import io.flowfabric.api.reconcile.ReconcilerSettings;
import io.flowfabric.internal.CoreEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The granted claim and completion ({@link SqliteClaim}, {@link SqliteComplete}) against the core's
 * transactional paths, each on its own database file.
 */
class SqliteGrantedPathsTest extends GrantedPathsContract {
    @TempDir
    Path dir;

    @Override
    protected Engine open(boolean granted) {
        SqliteOptions options = SqliteOptions.file(file(granted)).withClock(clock)
                .withReconcilers(ReconcilerSettings.manual());
        return SqliteStore.open(options, granted)
                .flatMap(store -> CoreEngine.start(store, options.clock(), SqliteEngine.BACKEND,
                        options.feedSettings(), options.reconcilers(), options.signingKeys()))
                .block(TIMEOUT);
    }

    @Override
    protected Connection jdbc(boolean granted) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file(granted));
    }

    @Override
    protected List<String> comparedQueries() {
        return List.of(
                "SELECT * FROM ff_exec_core ORDER BY execution_id",
                "SELECT * FROM ff_attempt ORDER BY execution_id, attempt_index",
                "SELECT execution_id, namespace, event_type, tags_json, occurred_at_ms,"
                        + " json_remove(details_json, '$.lease_id') AS details FROM ff_lease_event ORDER BY event_id",
                "SELECT execution_id, namespace, event_type, tags_json, occurred_at_ms, details_json"
                        + " FROM ff_completion_event ORDER BY event_id");
    }

    private Path file(boolean granted) {
        return dir.resolve(granted ? "granted.db" : "transactional.db");
    }
}
