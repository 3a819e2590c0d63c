-- Outbox tables: one row per change, written in the same transaction as the change it describes, read
-- by the feeds. A row's position is (tx_id, event_id). Identity values are taken before commit, so a
-- transaction holding event 10 may commit after the one holding event 11; tx_id (the writer's xid8) lets a
-- reader take only settled rows, those whose tx_id is below the oldest running transaction
-- (pg_snapshot_xmin), and order them by (tx_id, event_id): a row that is not settled yet always sorts after
-- every row already read, so no committed event is ever skipped.
-- A statement-level trigger notifies the feed's channel; NOTIFY is delivered at commit and is only a
-- wake-up hint: the rows are the truth.

CREATE FUNCTION ff_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_ARGV[0], '');
    RETURN NULL;
END;
$$;

-- Terminal outcomes: success, failed, cancelled, expired, skipped.
CREATE TABLE ff_completion_event (
    event_id        bigint   GENERATED ALWAYS AS IDENTITY,
    tx_id           xid8     NOT NULL DEFAULT pg_current_xact_id(),
    partition_key   smallint NOT NULL,
    execution_id    uuid     NOT NULL,
    namespace       text     NOT NULL,
    event_type      text     NOT NULL,
    tags_json       jsonb    NOT NULL,
    occurred_at_ms  bigint   NOT NULL,
    details_json    jsonb    NOT NULL,
    PRIMARY KEY (event_id)
);

CREATE INDEX ff_completion_event_position_idx ON ff_completion_event (tx_id, event_id);
CREATE INDEX ff_completion_event_execution_idx ON ff_completion_event (partition_key, execution_id, event_id);

CREATE TRIGGER ff_completion_event_notify AFTER INSERT ON ff_completion_event
    FOR EACH STATEMENT EXECUTE FUNCTION ff_notify_outbox('ff_completion');

-- Lease history: acquired, renewed, released, expired, reclaimed, revoked.
CREATE TABLE ff_lease_event (
    event_id        bigint   GENERATED ALWAYS AS IDENTITY,
    tx_id           xid8     NOT NULL DEFAULT pg_current_xact_id(),
    partition_key   smallint NOT NULL,
    execution_id    uuid     NOT NULL,
    namespace       text     NOT NULL,
    event_type      text     NOT NULL,
    tags_json       jsonb    NOT NULL,
    occurred_at_ms  bigint   NOT NULL,
    details_json    jsonb    NOT NULL,
    PRIMARY KEY (event_id)
);

CREATE INDEX ff_lease_event_position_idx ON ff_lease_event (tx_id, event_id);
CREATE INDEX ff_lease_event_execution_idx ON ff_lease_event (partition_key, execution_id, event_id);

CREATE TRIGGER ff_lease_event_notify AFTER INSERT ON ff_lease_event
    FOR EACH STATEMENT EXECUTE FUNCTION ff_notify_outbox('ff_lease');

-- Operator actions: priority_changed, replayed, cancelled, lease_revoked.
CREATE TABLE ff_operator_event (
    event_id        bigint   GENERATED ALWAYS AS IDENTITY,
    tx_id           xid8     NOT NULL DEFAULT pg_current_xact_id(),
    partition_key   smallint NOT NULL,
    execution_id    uuid     NOT NULL,
    namespace       text     NOT NULL,
    event_type      text     NOT NULL,
    tags_json       jsonb    NOT NULL,
    occurred_at_ms  bigint   NOT NULL,
    details_json    jsonb    NOT NULL,
    PRIMARY KEY (event_id)
);

CREATE INDEX ff_operator_event_position_idx ON ff_operator_event (tx_id, event_id);
CREATE INDEX ff_operator_event_execution_idx ON ff_operator_event (partition_key, execution_id, event_id);

CREATE TRIGGER ff_operator_event_notify AFTER INSERT ON ff_operator_event
    FOR EACH STATEMENT EXECUTE FUNCTION ff_notify_outbox('ff_operator');

-- Signal deliveries: satisfied, buffered, deduplicated.
CREATE TABLE ff_signal_event (
    event_id        bigint   GENERATED ALWAYS AS IDENTITY,
    tx_id           xid8     NOT NULL DEFAULT pg_current_xact_id(),
    partition_key   smallint NOT NULL,
    execution_id    uuid     NOT NULL,
    namespace       text     NOT NULL,
    event_type      text     NOT NULL,
    tags_json       jsonb    NOT NULL,
    occurred_at_ms  bigint   NOT NULL,
    details_json    jsonb    NOT NULL,
    PRIMARY KEY (event_id)
);

CREATE INDEX ff_signal_event_position_idx ON ff_signal_event (tx_id, event_id);
CREATE INDEX ff_signal_event_execution_idx ON ff_signal_event (partition_key, execution_id, event_id);

CREATE TRIGGER ff_signal_event_notify AFTER INSERT ON ff_signal_event
    FOR EACH STATEMENT EXECUTE FUNCTION ff_notify_outbox('ff_signal');

-- The last position retention deleted from each feed; a cursor at or before it can no longer be resumed.
CREATE TABLE ff_outbox_trim (
    feed      text   NOT NULL,
    tx_id     bigint NOT NULL,
    event_id  bigint NOT NULL,
    PRIMARY KEY (feed)
);
