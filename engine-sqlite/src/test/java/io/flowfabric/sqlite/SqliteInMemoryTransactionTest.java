package io.flowfabric.sqlite;

/** {@link SqliteTransactionTest} against an in-memory database. */
class SqliteInMemoryTransactionTest extends SqliteTransactionTest {
    @Override
    SqliteOptions options() {
        return SqliteOptions.inMemory();
    }
}
