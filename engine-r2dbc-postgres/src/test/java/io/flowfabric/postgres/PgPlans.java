package io.flowfabric.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * EXPLAIN of the engine's statements as the server plans them for the driver: the statement is PREPAREd
 * with typed parameters (as r2dbc-postgresql sends it) and EXPLAINed through EXECUTE, either as a custom
 * plan (the values known) or as the generic plan the server switches to after a few executions. The test
 * tables are tiny and unanalysed, so sequential and bitmap scans, which win there on cost alone, are
 * disabled: the plan must then show which index the statement's WHERE clause lets the planner use, and a
 * Sort node when the ORDER BY is not that index's order. Blocking; test threads only.
 */
final class PgPlans {
    private PgPlans() {
    }

    /**
     * @param types the parameter types of {@code $1..$n}, e.g. {@code "bigint, text"}
     * @param arguments SQL literals for the parameters, e.g. {@code "1, 'ns'"} (test constants only)
     * @param generic whether to force the generic plan instead of a custom one
     */
    static String explain(PostgresOptions options, String sql, String types, String arguments, boolean generic) {
        try (Connection jdbc = DriverManager.getConnection(options.jdbcUrl(), options.user(), options.password());
                Statement statement = jdbc.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            statement.execute("SET enable_bitmapscan = off");
            statement.execute("SET plan_cache_mode = " + (generic ? "force_generic_plan" : "force_custom_plan"));
            statement.execute("PREPARE planned(" + types + ") AS " + sql);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = statement.executeQuery("EXPLAIN EXECUTE planned(" + arguments + ")")) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        } catch (SQLException e) {
            throw new IllegalStateException("EXPLAIN failed: " + e.getMessage() + "\n" + sql, e);
        }
    }
}
