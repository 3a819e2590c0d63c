package io.flowfabric.sqlite;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/** Opens and configures the writer and reader connections. */
final class Connections {
    private static final String IN_MEMORY_URL = "jdbc:sqlite::memory:";

    private Connections() {
    }

    /**
     * The writer connection, in autocommit mode: transactions are bracketed by explicit {@code BEGIN
     * IMMEDIATE} / {@code COMMIT}, so the write lock is held only while a transaction runs (sqlite-jdbc's
     * IMMEDIATE transaction mode with autocommit off would re-open a transaction after every commit and
     * keep the write lock for good). A file database is switched to WAL mode so readers never block the
     * writer nor the writer the readers. Temporary data, including savepoint journals, stays in memory.
     */
    static SqliteConnection writer(SqliteOptions options) throws SQLException {
        SQLiteConfig config = baseConfig(options);
        if (!options.isInMemory()) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        }
        // No statement reads generated keys; otherwise sqlite-jdbc runs SELECT last_insert_rowid() after
        // every INSERT.
        config.setGetGeneratedKeys(false);
        SqliteConnection connection = new SqliteConnection(config.createConnection(url(options.file())));
        try {
            // PRAGMA takes no bind parameters; the value is one of the enum's constant names.
            connection.execute("PRAGMA synchronous = " + options.synchronous().name());
            // Each transaction of a group runs in a savepoint, and SQLite copies every page a savepoint
            // changes to a sub-journal first; past 64 KiB that journal spills to a temporary file, and the
            // writer pays write system calls for data that never outlives the transaction. The writer's
            // other temporary data (sorts of LIMITed claim and due queries) is small.
            connection.execute("PRAGMA temp_store = MEMORY");
            // A page cache of up to 64 MiB keeps the indexes the engine writes in memory. Checkpoints of a file
            // database run in the background (Checkpointer); the writer's own automatic checkpoint is only the
            // safety net for a log they do not keep short.
            connection.execute("PRAGMA cache_size = -65536");
            connection.execute("PRAGMA wal_autocheckpoint = " + Checkpointer.WRITER_SAFETY_NET_PAGES);
            connection.jdbc().setAutoCommit(true);
        } catch (SQLException e) {
            closeAfterFailure(connection, e);
            throw e;
        }
        return connection;
    }

    /**
     * The connection of the background {@link Checkpointer}: read-write (a checkpoint writes the database
     * file), never used for transactions.
     */
    static SqliteConnection checkpointer(SqliteOptions options) throws SQLException {
        return new SqliteConnection(baseConfig(options).createConnection(url(options.file())));
    }

    /** {@code options.readConnections()} read-only connections to the database file. */
    static List<SqliteConnection> readers(SqliteOptions options) throws SQLException {
        SQLiteConfig config = baseConfig(options);
        config.setReadOnly(true);
        List<SqliteConnection> readers = new ArrayList<>(options.readConnections());
        try {
            for (int i = 0; i < options.readConnections(); i++) {
                readers.add(new SqliteConnection(config.createConnection(url(options.file()))));
            }
        } catch (SQLException e) {
            for (SqliteConnection reader : readers) {
                closeAfterFailure(reader, e);
            }
            throw e;
        }
        return readers;
    }

    private static SQLiteConfig baseConfig(SqliteOptions options) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout((int) options.busyTimeout().toMillis());
        return config;
    }

    private static String url(Path file) {
        return file == null ? IN_MEMORY_URL : "jdbc:sqlite:" + file;
    }

    private static void closeAfterFailure(SqliteConnection connection, SQLException failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
