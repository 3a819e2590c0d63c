package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfabric.api.error.UnavailableException;
import io.flowfabric.internal.ExecutionRow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SqliteGroupCommitTest} against an in-memory database, plus a COMMIT that SQLite refuses: a
 * deferred foreign key checked only at COMMIT. Enforcing foreign keys is a connection setting that cannot
 * change inside a transaction; only an in-memory database runs reads on the writer connection outside one,
 * so that is where this test can turn it on.
 */
class SqliteInMemoryGroupCommitTest extends SqliteGroupCommitTest {
    @Override
    SqliteOptions options() {
        return SqliteOptions.inMemory();
    }

    @Test
    void whenTheGroupCommitFailsEveryMemberFailsAndNothingIsWritten() throws Exception {
        store.readScope(scope -> scope.mono("pragma", () -> {
            scope.connection().execute("PRAGMA foreign_keys = ON");
            return true;
        })).block(TIMEOUT);
        execute("CREATE TABLE test_parent (id INTEGER PRIMARY KEY)");
        execute("""
                CREATE TABLE test_child (parent_id INTEGER
                    REFERENCES test_parent (id) DEFERRABLE INITIALLY DEFERRED)""");
        ExecutionRow a = TestRows.runnable(1, 1);
        ExecutionRow c = TestRows.runnable(1, 3);
        long commitsBefore = store.commits();

        CountDownLatch release = holdWriter();
        CompletableFuture<Boolean> first = submitInsert(a);
        CompletableFuture<Integer> orphan = store.<Integer>writeScope(scope -> scope.mono("orphan", () ->
                scope.connection().prepare("INSERT INTO test_child (parent_id) VALUES (42)").executeUpdate()))
                .toFuture();
        CompletableFuture<Boolean> last = submitInsert(c);
        release.countDown();

        for (CompletableFuture<?> result : List.of(first, orphan, last)) {
            assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
                    .cause().isInstanceOf(UnavailableException.class).hasMessageContaining("FOREIGN KEY");
        }
        assertThat(exists(a)).isFalse();
        assertThat(exists(c)).isFalse();
        assertThat(count("SELECT count(*) FROM test_child")).isZero();
        assertThat(store.commits() - commitsBefore).isEqualTo(1);
        assertThat(submitInsert(c).get(30, TimeUnit.SECONDS)).isTrue();
    }
}
