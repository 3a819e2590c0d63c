package io.flowfabric.sqlite;

/** {@link SqliteDueQueryTest} against an in-memory database, whose reads run on the writer thread. */
class SqliteInMemoryDueQueryTest extends SqliteDueQueryTest {
    @Override
    SqliteOptions options() {
        return SqliteOptions.inMemory();
    }
}
