-- Outbox tables (SQLite dialect of the PostgreSQL migration with the same version). SQLite has a single
-- writer, so event ids are assigned in commit order and every committed row is settled: tx_id is always 0
-- and the id alone orders the feed. Wake-ups are emitted in-process after commit instead of NOTIFY.

-- Terminal outcomes: success, failed, cancelled, expired, skipped.
CREATE TABLE ff_completion_event (
    event_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    tx_id           INTEGER NOT NULL DEFAULT 0,
    partition_key   INTEGER NOT NULL,
    execution_id    TEXT    NOT NULL,
    namespace       TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    tags_json       TEXT    NOT NULL,
    occurred_at_ms  INTEGER NOT NULL,
    details_json    TEXT    NOT NULL
);

CREATE INDEX ff_completion_event_position_idx ON ff_completion_event (tx_id, event_id);
CREATE INDEX ff_completion_event_execution_idx ON ff_completion_event (partition_key, execution_id, event_id);

-- Lease history: acquired, renewed, released, expired, reclaimed, revoked.
CREATE TABLE ff_lease_event (
    event_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    tx_id           INTEGER NOT NULL DEFAULT 0,
    partition_key   INTEGER NOT NULL,
    execution_id    TEXT    NOT NULL,
    namespace       TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    tags_json       TEXT    NOT NULL,
    occurred_at_ms  INTEGER NOT NULL,
    details_json    TEXT    NOT NULL
);

CREATE INDEX ff_lease_event_position_idx ON ff_lease_event (tx_id, event_id);
CREATE INDEX ff_lease_event_execution_idx ON ff_lease_event (partition_key, execution_id, event_id);

-- Operator actions: priority_changed, replayed, cancelled, lease_revoked.
CREATE TABLE ff_operator_event (
    event_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    tx_id           INTEGER NOT NULL DEFAULT 0,
    partition_key   INTEGER NOT NULL,
    execution_id    TEXT    NOT NULL,
    namespace       TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    tags_json       TEXT    NOT NULL,
    occurred_at_ms  INTEGER NOT NULL,
    details_json    TEXT    NOT NULL
);

CREATE INDEX ff_operator_event_position_idx ON ff_operator_event (tx_id, event_id);
CREATE INDEX ff_operator_event_execution_idx ON ff_operator_event (partition_key, execution_id, event_id);

-- Signal deliveries: satisfied, buffered, deduplicated.
CREATE TABLE ff_signal_event (
    event_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    tx_id           INTEGER NOT NULL DEFAULT 0,
    partition_key   INTEGER NOT NULL,
    execution_id    TEXT    NOT NULL,
    namespace       TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    tags_json       TEXT    NOT NULL,
    occurred_at_ms  INTEGER NOT NULL,
    details_json    TEXT    NOT NULL
);

CREATE INDEX ff_signal_event_position_idx ON ff_signal_event (tx_id, event_id);
CREATE INDEX ff_signal_event_execution_idx ON ff_signal_event (partition_key, execution_id, event_id);

-- The last position retention deleted from each feed; a cursor at or before it can no longer be resumed.
CREATE TABLE ff_outbox_trim (
    feed      TEXT    NOT NULL,
    tx_id     INTEGER NOT NULL,
    event_id  INTEGER NOT NULL,
    PRIMARY KEY (feed)
);
