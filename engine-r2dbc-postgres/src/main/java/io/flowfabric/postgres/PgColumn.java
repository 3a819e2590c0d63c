package io.flowfabric.postgres;

import io.flowfabric.api.state.CanonicalLiteral;
import io.flowfabric.internal.AttemptEnd;
import io.flowfabric.internal.AttemptRow;
import io.flowfabric.internal.ExecutionRow;
import io.flowfabric.internal.OutboxRow;
import java.lang.reflect.Array;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * One column of a set-based write: its name, its SQL type, and how to take its value from a row. The
 * {@link PgWriteBatch} binds a column's values for many rows as one array parameter and turns the arrays
 * back into rows with {@code unnest}, so one statement writes any number of rows.
 *
 * @param sqlType the element type the array parameter is cast to ({@code $n::sqlType[]})
 * @param javaType the Java element type of the bound array (null elements are SQL NULL)
 * @param read how {@code unnest}'s column {@code v.name} becomes the stored value (a cast or decode)
 */
record PgColumn<R>(String name, String sqlType, Class<?> javaType, String read, Function<R, Object> value) {

    /** The mutable columns of {@code ff_exec_core}, after its key; see {@link ExecutionRow#FIXED_AT_CREATION}. */
    static final List<PgColumn<ExecutionRow>> EXECUTION_KEY = List.of(
            smallint("partition_key", r -> (short) r.partitionKey),
            uuid("execution_id", r -> r.executionId));

    /** The version the row was read at: the guard of an optimistic write. */
    static final List<PgColumn<ExecutionRow>> EXECUTION_GUARD = List.of(
            bigint("row_version", r -> r.rowVersion));

    static final List<PgColumn<ExecutionRow>> EXECUTION_MUTABLE = List.of(
            integer("priority", r -> r.priority),
            text("lifecycle_phase", r -> literal(r.lifecyclePhase)),
            text("ownership_state", r -> literal(r.ownershipState)),
            text("eligibility_state", r -> literal(r.eligibilityState)),
            text("blocking_reason", r -> literal(r.blockingReason)),
            text("terminal_outcome", r -> literal(r.terminalOutcome)),
            text("attempt_state", r -> literal(r.attemptState)),
            text("public_state", r -> literal(r.publicState)),
            text("blocking_detail", r -> r.blockingDetail),
            bigint("eligible_at_ms", r -> r.eligibleAtMs),
            bigint("started_at_ms", r -> r.startedAtMs),
            bigint("terminal_at_ms", r -> r.terminalAtMs),
            bigint("updated_at_ms", r -> r.updatedAtMs),
            integer("current_attempt_index", r -> r.currentAttemptIndex),
            uuid("current_attempt_id", r -> r.currentAttemptId),
            integer("total_attempt_count", r -> r.totalAttemptCount),
            integer("retry_count", r -> r.retryCount),
            integer("reclaim_count", r -> r.reclaimCount),
            integer("replay_count", r -> r.replayCount),
            uuid("lease_id", r -> r.leaseId),
            bigint("lease_epoch", r -> r.leaseEpoch),
            bigint("lease_expires_at_ms", r -> r.leaseExpiresAtMs),
            bigint("lease_ttl_ms", r -> r.leaseTtlMs),
            text("lease_worker_id", r -> r.leaseWorkerId),
            text("lease_worker_instance_id", r -> r.leaseWorkerInstanceId),
            bigint("attempt_deadline_at_ms", r -> r.attemptDeadlineAtMs),
            integer("progress_pct", r -> r.progressPct),
            text("progress_message", r -> r.progressMessage),
            text("last_error_type", r -> r.lastErrorType),
            text("last_error_message", r -> r.lastErrorMessage),
            text("cancellation_reason", r -> r.cancellationReason),
            // bytea travels as base64 text: the driver binds text arrays, and decode() restores the bytes.
            new PgColumn<>("result", "text", String.class, "decode(v.result, 'base64')",
                    r -> r.result == null ? null : Base64.getEncoder().encodeToString(r.result)));

    /** Every column of {@code ff_attempt}, in {@link PgRows#ATTEMPT_COLUMNS} order. */
    static final List<PgColumn<AttemptRow>> ATTEMPT = List.of(
            smallint("partition_key", r -> (short) r.partitionKey),
            uuid("execution_id", r -> r.executionId),
            integer("attempt_index", r -> r.attemptIndex),
            uuid("attempt_id", r -> r.attemptId),
            text("attempt_type", r -> literal(r.attemptType)),
            text("attempt_lifecycle", r -> literal(r.attemptLifecycle)),
            uuid("lease_id", r -> r.leaseId),
            bigint("lease_epoch", r -> r.leaseEpoch),
            text("worker_id", r -> r.workerId),
            text("worker_instance_id", r -> r.workerInstanceId),
            bigint("started_at_ms", r -> r.startedAtMs),
            bigint("ended_at_ms", r -> r.endedAtMs),
            text("error_type", r -> r.errorType),
            text("error_message", r -> r.errorMessage));

    /** The key of an attempt, then the columns {@link AttemptEnd} sets. */
    static final List<PgColumn<AttemptEnd>> ATTEMPT_END = List.of(
            smallint("partition_key", e -> (short) e.executionId().partition()),
            uuid("execution_id", e -> e.executionId().uuid()),
            integer("attempt_index", AttemptEnd::attemptIndex),
            text("attempt_lifecycle", e -> literal(e.lifecycle())),
            bigint("ended_at_ms", AttemptEnd::endedAtMs),
            text("error_type", AttemptEnd::errorType),
            text("error_message", AttemptEnd::errorMessage));

    /** The columns an outbox append writes; the table assigns event_id and tx_id. */
    static final List<PgColumn<OutboxRow>> OUTBOX = List.of(
            smallint("partition_key", r -> (short) r.partitionKey),
            uuid("execution_id", r -> r.executionId),
            text("namespace", r -> r.namespace),
            text("event_type", r -> r.eventType),
            new PgColumn<>("tags_json", "text", String.class, "v.tags_json::jsonb", r -> r.tagsJson),
            bigint("occurred_at_ms", r -> r.occurredAtMs),
            new PgColumn<>("details_json", "text", String.class, "v.details_json::jsonb", r -> r.detailsJson));

    /** {@code unnest($first::t1[], $first+1::t2[], ...)} over {@code columns}. */
    static String unnest(List<? extends PgColumn<?>> columns, int first) {
        StringBuilder sql = new StringBuilder("unnest(");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('$').append(first + i).append("::").append(columns.get(i).sqlType())
                    .append("[]");
        }
        return sql.append(')').toString();
    }

    /** The column names, comma separated. */
    static String names(List<? extends PgColumn<?>> columns) {
        return String.join(", ", columns.stream().map(PgColumn::name).toList());
    }

    /** The array of this column's values over {@code rows}, for binding. */
    Object array(List<Object[]> rows, int position) {
        Object array = Array.newInstance(javaType, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Array.set(array, i, rows.get(i)[position]);
        }
        return array;
    }

    /** The values of {@code columns} taken from {@code row} now, so later changes to the row do not leak in. */
    static <R> Object[] snapshot(List<PgColumn<R>> columns, R row) {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = columns.get(i).value.apply(row);
        }
        return values;
    }

    private static <R> PgColumn<R> smallint(String name, Function<R, Object> value) {
        return new PgColumn<>(name, "smallint", Short.class, "v." + name, value);
    }

    private static <R> PgColumn<R> integer(String name, Function<R, Object> value) {
        return new PgColumn<>(name, "integer", Integer.class, "v." + name, value);
    }

    private static <R> PgColumn<R> bigint(String name, Function<R, Object> value) {
        return new PgColumn<>(name, "bigint", Long.class, "v." + name, value);
    }

    private static <R> PgColumn<R> text(String name, Function<R, Object> value) {
        return new PgColumn<>(name, "text", String.class, "v." + name, value);
    }

    private static <R> PgColumn<R> uuid(String name, Function<R, Object> value) {
        return new PgColumn<>(name, "uuid", UUID.class, "v." + name, value);
    }

    private static String literal(CanonicalLiteral value) {
        return value == null ? null : value.literal();
    }
}
