package io.flowfabric.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * One JDBC connection with its prepared statements cached by SQL text, so the hot path parses each
 * statement once. Not thread-safe: a connection is used by one thread at a time (the writer thread, or the
 * thread of the read call that borrowed it).
 */
final class SqliteConnection implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private RowidHints rowidHints;

    SqliteConnection(Connection connection) {
        this.connection = connection;
    }

    Connection jdbc() {
        return connection;
    }

    /** The rowids of the rows this (writer) connection leased; created on first use. */
    RowidHints rowidHints() {
        if (rowidHints == null) {
            rowidHints = new RowidHints();
        }
        return rowidHints;
    }

    /**
     * The cached statement for {@code sql}, holding the parameters of its last use: every caller sets every
     * parameter before each execution. They are deliberately not cleared: {@code clearParameters} calls
     * {@code sqlite3_clear_bindings}, which marks a statement whose plan read a bound value (a
     * {@code LIMIT ?}, for one) as expired, so SQLite compiled it again at its next step. For the claim's
     * pick that recompilation cost more than running the query.
     */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /**
     * Runs a statement without parameters or results, such as {@code BEGIN IMMEDIATE}; prepared once and
     * cached like {@link #prepare}, since the writer runs the same few transaction statements thousands of
     * times a second and SQLite would otherwise compile each one every time. A result the statement
     * returns (some PRAGMAs do) is closed at once, which resets the statement: a cached statement left
     * mid-result would keep its read open and make the next {@code COMMIT} fail.
     */
    void execute(String sql) throws SQLException {
        PreparedStatement statement = prepare(sql);
        if (statement.execute()) {
            statement.getResultSet().close();
        }
    }

    /** Closes the cached statements and the connection; errors are suppressed into the first one. */
    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                failure = chain(failure, e);
            }
        }
        statements.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            failure = chain(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static SQLException chain(SQLException first, SQLException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
