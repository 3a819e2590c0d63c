package io.flowfabric.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfabric.internal.ExecutionRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Background WAL checkpoints: after {@link Checkpointer#COMMITS_PER_CHECKPOINT} commits a checkpoint runs
 * on its own connection and copies the committed pages into the database file while the writer goes on;
 * every row committed before, during and after it stays readable.
 */
class SqliteCheckpointerTest extends StoreFixture {

    @Test
    void committedPagesReachTheDatabaseFileWithoutTheWriterCheckpointing() throws Exception {
        Path file = options().file();
        long sizeBefore = size(file);
        List<ExecutionRow> rows = new ArrayList<>();
        // One transaction per row, so each is its own group COMMIT; the writer's automatic checkpoint
        // threshold (Checkpointer.WRITER_SAFETY_NET_PAGES) is far above what these rows write.
        for (int i = 0; i < Checkpointer.COMMITS_PER_CHECKPOINT + 20; i++) {
            ExecutionRow row = TestRows.runnable(i % 8, i);
            row.payload = new byte[2048];
            rows.add(row);
            store.inTransaction(t -> t.insertExecution(row)).block(TIMEOUT);
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (store.backgroundCheckpoints() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        assertThat(store.backgroundCheckpoints()).isGreaterThanOrEqualTo(1);
        // At least the rows' payloads were copied from the log into the database file.
        assertThat(size(file) - sizeBefore).isGreaterThan(256L * 2048);
        assertThat(count("SELECT count(*) FROM ff_exec_core")).isEqualTo(rows.size());
        for (ExecutionRow row : rows) {
            assertThat(store.read(r -> r.findExecution(row.id())).blockOptional(TIMEOUT)).isPresent();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
