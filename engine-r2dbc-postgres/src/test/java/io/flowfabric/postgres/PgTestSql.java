package io.flowfabric.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** JDBC look-ups of the engine's LISTEN backend in {@code pg_stat_activity}; blocking, for test threads only. */
final class PgTestSql {
    private PgTestSql() {
    }

    /** The number of LISTEN connections ({@value PgListener#APPLICATION_NAME}) to the options' database. */
    static int listenConnections(PostgresOptions options) {
        return queryInt(options, """
                SELECT count(*)::int FROM pg_stat_activity
                WHERE application_name = ? AND datname = current_database()
                """, null);
    }

    /** The pid of the LISTEN backend once it has run LISTEN, or null. */
    static Integer listeningBackend(PostgresOptions options) {
        return listeningBackendOtherThan(options, 0);
    }

    /** As {@link #listeningBackend}, ignoring the backend {@code excludedPid} (a killed or hung one). */
    static Integer listeningBackendOtherThan(PostgresOptions options, int excludedPid) {
        int pid = queryInt(options, """
                SELECT coalesce(max(pid), 0) FROM pg_stat_activity
                WHERE application_name = ? AND datname = current_database()
                  AND (query LIKE 'LISTEN%' OR query = 'SELECT 1') AND pid <> ?
                """, excludedPid);
        return pid == 0 ? null : pid;
    }

    /** Terminates the LISTEN backends of the options' database; returns how many were signalled. */
    static int terminateListenBackends(PostgresOptions options) {
        return queryInt(options, """
                SELECT count(*)::int FROM (
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE application_name = ? AND datname = current_database()) AS terminated
                """, null);
    }

    private static int queryInt(PostgresOptions options, String sql, Integer second) {
        try (Connection jdbc = DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
                PreparedStatement statement = jdbc.prepareStatement(sql)) {
            statement.setString(1, PgListener.APPLICATION_NAME);
            if (second != null) {
                statement.setInt(2, second);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }
}
