package io.flowfabric.sqlite;

/** {@link SqliteReconcileTxTest} against an in-memory database, whose reads run on the writer thread. */
class SqliteInMemoryReconcileTxTest extends SqliteReconcileTxTest {
    @Override
    SqliteOptions options() {
        return SqliteOptions.inMemory();
    }
}
