package io.flowfabric.sqlite;

import io.flowfabric.api.error.UnavailableException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Applies the SQLite migrations ({@code db/sqlite/V<n>__*.sql} of the flowfabric-sql module) with Flyway,
 * whose core supports SQLite without an extra database module.
 *
 * <p>Flyway runs on the writer connection itself: an in-memory database exists only on that connection,
 * and Flyway uses a single connection for SQLite anyway. The connection is lent through a data source
 * whose connections ignore {@code close()}.
 */
final class Migrations {
    static final String LOCATION = "classpath:db/sqlite";

    private Migrations() {
    }

    /**
     * Migrates the database to the newest version.
     *
     * @throws UnavailableException when a migration fails or the migrations are missing
     */
    static void migrate(Connection writer) {
        try {
            Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(new LentConnection(writer))
                    .locations(LOCATION)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new UnavailableException("sqlite schema migration failed: " + e.getMessage(), e);
        }
    }

    /** A data source that hands out one existing connection and never closes it. */
    static final class LentConnection implements DataSource {
        private final Connection proxy;

        LentConnection(Connection target) {
            InvocationHandler handler = (p, method, args) -> {
                switch (method.getName()) {
                    case "close":
                        return null;
                    case "isClosed":
                        return false;
                    default:
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                }
            };
            this.proxy = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, handler);
        }

        @Override
        public Connection getConnection() {
            return proxy;
        }

        @Override
        public Connection getConnection(String username, String password) {
            return proxy;
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws java.sql.SQLException {
            throw new java.sql.SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
