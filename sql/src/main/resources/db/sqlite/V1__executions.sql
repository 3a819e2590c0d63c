-- Executions, their attempts and create-time idempotency keys (SQLite dialect of the PostgreSQL
-- migration with the same version: same tables and columns). uuid columns hold the hyphenated text form,
-- bytea is BLOB, jsonb is TEXT, and the capability array is a JSON array in TEXT.

CREATE TABLE ff_exec_core (
    partition_key            INTEGER NOT NULL,
    execution_id             TEXT    NOT NULL,
    namespace                TEXT    NOT NULL,
    lane_id                  TEXT    NOT NULL,
    execution_kind           TEXT    NOT NULL,
    priority                 INTEGER NOT NULL,

    lifecycle_phase          TEXT    NOT NULL,
    ownership_state          TEXT    NOT NULL,
    eligibility_state        TEXT    NOT NULL,
    blocking_reason          TEXT    NOT NULL,
    terminal_outcome         TEXT    NOT NULL,
    attempt_state            TEXT    NOT NULL,
    public_state             TEXT    NOT NULL,
    blocking_detail          TEXT,

    created_at_ms            INTEGER NOT NULL,
    eligible_at_ms           INTEGER NOT NULL,
    started_at_ms            INTEGER,
    terminal_at_ms           INTEGER,
    deadline_at_ms           INTEGER,
    updated_at_ms            INTEGER NOT NULL,

    current_attempt_index    INTEGER,
    current_attempt_id       TEXT,
    total_attempt_count      INTEGER NOT NULL DEFAULT 0,
    retry_count              INTEGER NOT NULL DEFAULT 0,
    reclaim_count            INTEGER NOT NULL DEFAULT 0,
    replay_count             INTEGER NOT NULL DEFAULT 0,

    lease_id                 TEXT,
    lease_epoch              INTEGER NOT NULL DEFAULT 0,
    lease_expires_at_ms      INTEGER,
    lease_ttl_ms             INTEGER,
    lease_worker_id          TEXT,
    lease_worker_instance_id TEXT,
    attempt_deadline_at_ms   INTEGER,

    progress_pct             INTEGER,
    progress_message         TEXT,
    last_error_type          TEXT,
    last_error_message       TEXT,
    cancellation_reason      TEXT,

    payload                  BLOB    NOT NULL,
    result                   BLOB,
    policy_json              TEXT    NOT NULL,
    tags_json                TEXT    NOT NULL,
    required_capabilities    TEXT    NOT NULL DEFAULT '[]',
    idempotency_key          TEXT,

    PRIMARY KEY (partition_key, execution_id)
);

-- The claim scan: claimable rows of one namespace and lane in claim order (priority desc, oldest first).
-- The predicate repeats the claim query's, so blocked and owned rows stay out of the index.
CREATE INDEX ff_exec_core_claim_idx
    ON ff_exec_core (namespace, lane_id, priority DESC, created_at_ms, execution_id)
    WHERE lifecycle_phase = 'runnable'
      AND ownership_state = 'unowned'
      AND eligibility_state IN ('eligible_now', 'not_eligible_until_time');

-- Stable list pages: creation order with the key as tie-breaker.
CREATE INDEX ff_exec_core_list_idx
    ON ff_exec_core (created_at_ms, partition_key, execution_id);

CREATE TABLE ff_attempt (
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
);

-- Create-time idempotency: one live reservation per (namespace, key); an expired one may be replaced.
CREATE TABLE ff_idempotency_key (
    namespace        TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL,
    partition_key    INTEGER NOT NULL,
    execution_id     TEXT    NOT NULL,
    expires_at_ms    INTEGER NOT NULL,
    PRIMARY KEY (namespace, idempotency_key)
);

CREATE INDEX ff_idempotency_key_expiry_idx ON ff_idempotency_key (expires_at_ms);
