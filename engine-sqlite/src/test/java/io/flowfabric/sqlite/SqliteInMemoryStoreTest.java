package io.flowfabric.sqlite;

/** {@link SqliteStoreTest} against an in-memory database, whose reads run on the writer thread. */
class SqliteInMemoryStoreTest extends SqliteStoreTest {
    @Override
    SqliteOptions options() {
        return SqliteOptions.inMemory();
    }
}
