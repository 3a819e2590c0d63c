package io.flowfabric.sqlite;

import io.flowfabric.api.ExecutionId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rowids of the rows the writer connection leased, by execution id, so that a completion updates its
 * row by rowid and the statements after it need no lookup of the key. Only a hint: the completion checks
 * the key as well and falls back to it when the hint is missing or does not match (a claim whose
 * transaction rolled back, a {@code VACUUM} that renumbered the rows, a lease granted before a restart or
 * by the core's own claim path). Bounded: past {@link #CAPACITY} the oldest hints are dropped. Not
 * thread-safe; only the writer thread uses it.
 */
final class RowidHints {
    /** Hints kept at most: far more than the executions a writer has leased and not yet completed. */
    static final int CAPACITY = 16_384;

    private final Map<ExecutionId, Long> rowids = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ExecutionId, Long> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Records that {@code id} was leased in row {@code rowid}. */
    void leased(ExecutionId id, long rowid) {
        rowids.put(id, rowid);
    }

    /** The rowid {@code id} was leased in, or null if unknown; the hint is forgotten either way. */
    Long take(ExecutionId id) {
        return rowids.remove(id);
    }

    int size() {
        return rowids.size();
    }
}
