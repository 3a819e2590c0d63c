package io.flowfabric.sqlite;

/** {@link SqliteSignalStoreTest} against an in-memory database, whose reads run on the writer thread. */
class SqliteInMemorySignalStoreTest extends SqliteSignalStoreTest {
    @Override
    SqliteOptions options() {
        return SqliteOptions.inMemory();
    }
}
