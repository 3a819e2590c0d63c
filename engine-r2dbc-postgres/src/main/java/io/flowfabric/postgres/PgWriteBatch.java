package io.flowfabric.postgres;

import io.flowfabric.api.ExecutionId;
import io.flowfabric.internal.AttemptEnd;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.Feed;
import io.flowfabric.internal.OutboxRow;
import io.r2dbc.spi.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * The writes of one transaction that wait to be sent together: execution updates, attempt inserts and
 * ends, and outbox appends. {@link PgSession} sends them as one statement before its next statement and
 * before COMMIT, so a claim of many rows or a completion costs one write round trip instead of one per
 * row and table, and every read in the transaction still sees the transaction's own writes.
 *
 * <p>The statement is a chain of data-modifying CTEs, one per kind of write present, each fed by
 * {@code unnest} over array parameters (one array per column). Such CTEs all run against the snapshot the
 * statement started with, so writes are coalesced first: a row updated twice is written once with its
 * last values, and an attempt ended in the transaction that inserted it is inserted ended. Outbox rows of
 * one feed are inserted in the order they were appended ({@code WITH ORDINALITY}), which is the order of
 * their event ids. Every execution update increments {@code row_version}.
 *
 * <p>A <em>guarded</em> batch (the writes of {@link PgStore#optimistic}) updates an execution only while its
 * {@code row_version} is still the one read, and writes its attempts and outbox rows only when that update
 * happened (they join the updated keys), so each execution's writes apply entirely or not at all.
 */
final class PgWriteBatch {
    private static final int PART_EXECUTIONS = 0;
    private static final int PART_ATTEMPT_INSERTS = 1;
    private static final int PART_ATTEMPT_ENDS = 2;
    private static final int PART_FIRST_FEED = 3;
    private static final int GUARDED = 1 << 30;
    private static final Map<Integer, String> STATEMENTS = new ConcurrentHashMap<>();
    private static final List<PgColumn<ExecutionRow>> EXECUTION = concat(concat(PgColumn.EXECUTION_KEY,
            PgColumn.EXECUTION_MUTABLE), PgColumn.EXECUTION_GUARD);

    private final boolean guarded;
    private final Map<ExecutionId, Object[]> executions = new LinkedHashMap<>();
    private final Map<AttemptKey, Object[]> attemptInserts = new LinkedHashMap<>();
    private final Map<AttemptKey, Object[]> attemptEnds = new LinkedHashMap<>();
    /** Executions that events were appended for, checked against the updates of a guarded batch. */
    private final Set<ExecutionId> eventExecutions = new HashSet<>();

    private record AttemptKey(ExecutionId execution, int attemptIndex) {
    }
    private final Map<Feed, List<Object[]>> events = new EnumMap<>(Feed.class);

    /** @param guarded whether execution updates apply only at the version they were read at */
    PgWriteBatch(boolean guarded) {
        this.guarded = guarded;
    }

    void updateExecution(ExecutionRow row) {
        executions.put(row.id(), PgColumn.snapshot(EXECUTION, row));
    }

    void insertAttempt(AttemptRow row) {
        attemptInserts.put(new AttemptKey(new ExecutionId(row.partitionKey, row.executionId), row.attemptIndex),
                PgColumn.snapshot(PgColumn.ATTEMPT, row));
    }

    void endAttempt(AttemptEnd end) {
        AttemptKey key = new AttemptKey(end.executionId(), end.attemptIndex());
        Object[] inserted = attemptInserts.get(key);
        if (inserted == null) {
            attemptEnds.put(key, PgColumn.snapshot(PgColumn.ATTEMPT_END, end));
            return;
        }
        // The attempt is still waiting to be inserted: insert it ended. ATTEMPT_END's data columns follow
        // its 3 key columns; each has the same name in ATTEMPT.
        Object[] values = PgColumn.snapshot(PgColumn.ATTEMPT_END, end);
        for (int i = 3; i < values.length; i++) {
            inserted[indexOf(PgColumn.ATTEMPT, PgColumn.ATTEMPT_END.get(i).name())] = values[i];
        }
    }

    void appendEvent(OutboxRow row) {
        PgFeedStore.requireComplete(row);
        events.computeIfAbsent(row.feed, feed -> new ArrayList<>()).add(PgColumn.snapshot(PgColumn.OUTBOX, row));
        eventExecutions.add(new ExecutionId(row.partitionKey, row.executionId));
    }

    boolean isEmpty() {
        return executions.isEmpty() && attemptInserts.isEmpty() && attemptEnds.isEmpty() && events.isEmpty();
    }

    /**
     * Sends every waiting write as one statement and empties the batch; emits the executions whose guarded
     * update did not apply (always empty for an unguarded batch). Fails with {@link IllegalStateException}
     * when an unguarded execution update matched no row (the core engine only writes back rows it locked, so
     * that is a broken invariant), or when a guarded batch writes for an execution it does not update.
     */
    Mono<Set<ExecutionId>> flush(PgSession session) {
        if (isEmpty()) {
            return Mono.just(Set.of());
        }
        Set<ExecutionId> expected = new LinkedHashSet<>(executions.keySet());
        if (guarded) {
            requireUpdated(expected);
        }
        List<Object[]> executionRows = new ArrayList<>(executions.values());
        List<Object[]> insertRows = new ArrayList<>(attemptInserts.values());
        List<Object[]> endRows = new ArrayList<>(attemptEnds.values());
        Map<Feed, List<Object[]>> eventRows = new EnumMap<>(events);
        executions.clear();
        attemptInserts.clear();
        attemptEnds.clear();
        events.clear();
        eventExecutions.clear();
        int parts = (executionRows.isEmpty() ? 0 : 1 << PART_EXECUTIONS)
                | (insertRows.isEmpty() ? 0 : 1 << PART_ATTEMPT_INSERTS)
                | (endRows.isEmpty() ? 0 : 1 << PART_ATTEMPT_ENDS)
                | (guarded ? GUARDED : 0);
        for (Feed feed : eventRows.keySet()) {
            parts |= 1 << (PART_FIRST_FEED + feed.ordinal());
        }
        String sql = STATEMENTS.computeIfAbsent(parts, PgWriteBatch::statement);
        return session.writeBatch(sql, statement -> {
            int[] next = {0};
            bindAll(statement, next, EXECUTION, executionRows);
            bindAll(statement, next, PgColumn.ATTEMPT, insertRows);
            bindAll(statement, next, PgColumn.ATTEMPT_END, endRows);
            eventRows.values().forEach(rows -> bindAll(statement, next, PgColumn.OUTBOX, rows));
        }).flatMap(updated -> {
            expected.removeAll(updated);
            if (expected.isEmpty() || guarded) {
                return Mono.just(expected);
            }
            return Mono.error(new IllegalStateException("expected to update " + executionRows.size()
                    + " executions, updated " + updated.size()));
        });
    }

    // In a guarded batch, attempts and outbox rows are written only with their execution's update.
    private void requireUpdated(Set<ExecutionId> updated) {
        List<ExecutionId> written = new ArrayList<>(eventExecutions);
        attemptInserts.keySet().forEach(key -> written.add(key.execution()));
        attemptEnds.keySet().forEach(key -> written.add(key.execution()));
        for (ExecutionId id : written) {
            if (!updated.contains(id)) {
                throw new IllegalStateException("an optimistic write for execution " + id
                        + " does not update that execution");
            }
        }
    }

    private static <R> void bindAll(Statement statement, int[] next, List<PgColumn<R>> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        for (int i = 0; i < columns.size(); i++) {
            statement.bind(next[0]++, columns.get(i).array(rows, i));
        }
    }

    /** The statement for one combination of parts; the parameters follow the parts in the same order. */
    private static String statement(int parts) {
        boolean guarded = (parts & GUARDED) != 0;
        // In a guarded batch every dependent write joins the executions that were updated.
        String updatedOnly = guarded ? "\n    JOIN executions_updated u"
                + " ON u.partition_key = v.partition_key AND u.execution_id = v.execution_id" : "";
        List<String> ctes = new ArrayList<>();
        int param = 1;
        if ((parts & 1 << PART_EXECUTIONS) != 0) {
            ctes.add("executions_updated AS (\n    UPDATE ff_exec_core e SET " + assignments(PgColumn.EXECUTION_MUTABLE)
                    + ", row_version = e.row_version + 1"
                    + "\n    FROM " + PgColumn.unnest(EXECUTION, param) + " AS v(" + PgColumn.names(EXECUTION) + ")"
                    + "\n    WHERE e.partition_key = v.partition_key AND e.execution_id = v.execution_id"
                    + (guarded ? " AND e.row_version = v.row_version" : "")
                    + "\n    RETURNING e.partition_key, e.execution_id)");
            param += EXECUTION.size();
        }
        if ((parts & 1 << PART_ATTEMPT_INSERTS) != 0) {
            ctes.add("attempts_inserted AS (\n    INSERT INTO ff_attempt (" + PgColumn.names(PgColumn.ATTEMPT) + ")"
                    + "\n    SELECT v.* FROM " + PgColumn.unnest(PgColumn.ATTEMPT, param)
                    + " AS v(" + PgColumn.names(PgColumn.ATTEMPT) + ")" + updatedOnly + ")");
            param += PgColumn.ATTEMPT.size();
        }
        if ((parts & 1 << PART_ATTEMPT_ENDS) != 0) {
            ctes.add("attempts_ended AS (\n    UPDATE ff_attempt a SET "
                    + assignments(PgColumn.ATTEMPT_END.subList(3, PgColumn.ATTEMPT_END.size()))
                    + "\n    FROM " + PgColumn.unnest(PgColumn.ATTEMPT_END, param)
                    + " AS v(" + PgColumn.names(PgColumn.ATTEMPT_END) + ")" + updatedOnly
                    + "\n    WHERE a.partition_key = v.partition_key AND a.execution_id = v.execution_id"
                    + " AND a.attempt_index = v.attempt_index)");
            param += PgColumn.ATTEMPT_END.size();
        }
        for (Feed feed : Feed.values()) {
            if ((parts & 1 << (PART_FIRST_FEED + feed.ordinal())) != 0) {
                ctes.add(feed.label() + "_events AS (\n    INSERT INTO " + feed.table() + " ("
                        + PgColumn.names(PgColumn.OUTBOX) + ")"
                        + "\n    SELECT " + reads(PgColumn.OUTBOX)
                        + "\n    FROM " + PgColumn.unnest(PgColumn.OUTBOX, param) + " WITH ORDINALITY AS v("
                        + PgColumn.names(PgColumn.OUTBOX) + ", ord)" + updatedOnly
                        + "\n    ORDER BY v.ord)");
                param += PgColumn.OUTBOX.size();
            }
        }
        String updated = (parts & 1 << PART_EXECUTIONS) != 0
                ? "SELECT partition_key, execution_id FROM executions_updated"
                : "SELECT NULL::smallint AS partition_key, NULL::uuid AS execution_id WHERE false";
        return "WITH " + String.join(",\n", ctes) + "\n" + updated;
    }

    private static String assignments(List<? extends PgColumn<?>> columns) {
        return String.join(", ", columns.stream().map(c -> c.name() + " = " + c.read()).toList());
    }

    private static String reads(List<? extends PgColumn<?>> columns) {
        return String.join(", ", columns.stream().map(PgColumn::read).toList());
    }

    private static int indexOf(List<? extends PgColumn<?>> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static <R> List<PgColumn<R>> concat(List<PgColumn<R>> first, List<PgColumn<R>> second) {
        List<PgColumn<R>> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }
}
