-- On SQLite every committed event is settled and tx_id is always 0 (see V2), so the position indexes on
-- (tx_id, event_id) order exactly as the event id, which is the rowid: feed pages, the head and trimming
-- all read the table by rowid and never used them. Each cost an index insert per event and, at every
-- COMMIT, the write of its tail pages.
DROP INDEX ff_completion_event_position_idx;
DROP INDEX ff_lease_event_position_idx;
DROP INDEX ff_operator_event_position_idx;
DROP INDEX ff_signal_event_position_idx;

-- Attempts become a WITHOUT ROWID table clustered on their key: every lookup and update goes by
-- (partition_key, execution_id, attempt_index), so one B-tree serves them instead of the rowid table
-- plus the separate index of its primary key, and each new attempt is one insert instead of two.
CREATE TABLE ff_attempt_clustered (
    partition_key       INTEGER NOT NULL,
    execution_id        TEXT    NOT NULL,
    attempt_index       INTEGER NOT NULL,
    attempt_id          TEXT    NOT NULL,
    attempt_type        TEXT    NOT NULL,
    attempt_lifecycle   TEXT    NOT NULL,
    lease_id            TEXT    NOT NULL,
    lease_epoch         INTEGER NOT NULL,
    worker_id           TEXT    NOT NULL,
    worker_instance_id  TEXT    NOT NULL,
    started_at_ms       INTEGER NOT NULL,
    ended_at_ms         INTEGER,
    error_type          TEXT,
    error_message       TEXT,
    PRIMARY KEY (partition_key, execution_id, attempt_index)
) WITHOUT ROWID;

INSERT INTO ff_attempt_clustered (partition_key, execution_id, attempt_index, attempt_id, attempt_type,
                                  attempt_lifecycle, lease_id, lease_epoch, worker_id, worker_instance_id,
                                  started_at_ms, ended_at_ms, error_type, error_message)
SELECT partition_key, execution_id, attempt_index, attempt_id, attempt_type, attempt_lifecycle, lease_id,
       lease_epoch, worker_id, worker_instance_id, started_at_ms, ended_at_ms, error_type, error_message
FROM ff_attempt;

DROP TABLE ff_attempt;
ALTER TABLE ff_attempt_clustered RENAME TO ff_attempt;
