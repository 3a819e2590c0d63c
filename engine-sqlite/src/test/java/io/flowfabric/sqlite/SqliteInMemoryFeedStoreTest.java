package io.flowfabric.sqlite;

/** {@link SqliteFeedStoreTest} against an in-memory database, whose reads run on the writer thread. */
class SqliteInMemoryFeedStoreTest extends SqliteFeedStoreTest {
    @Override
    SqliteOptions options() {
        return SqliteOptions.inMemory();
    }
}
