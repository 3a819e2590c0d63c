-- Waitpoints, suspensions, signals and the waitpoint signing keys (SQLite dialect of the PostgreSQL
-- migration with the same version: uuid as text, bytea as BLOB, jsonb as TEXT, boolean as INTEGER 0/1).

-- Signing keys for waitpoint tokens (HMAC-SHA256). One key is current; a superseded key keeps verifying
-- tokens until valid_until_ms.
CREATE TABLE ff_waitpoint_hmac (
    kid             TEXT    NOT NULL,
    secret          BLOB   NOT NULL,
    created_at_ms   INTEGER  NOT NULL,
    is_current      INTEGER NOT NULL,
    valid_until_ms  INTEGER,
    PRIMARY KEY (kid)
);

-- A waitpoint is pending (created under a lease, buffering signals), active (bound to a suspension) or
-- closed. The token is not stored: deliveries are verified by recomputing it.
CREATE TABLE ff_waitpoint (
    partition_key      INTEGER NOT NULL,
    execution_id       TEXT     NOT NULL,
    waitpoint_id       TEXT     NOT NULL,
    waitpoint_key      TEXT     NOT NULL,
    state              TEXT     NOT NULL,
    token_kid          TEXT     NOT NULL,
    token_fingerprint  TEXT     NOT NULL,
    created_at_ms      INTEGER   NOT NULL,
    expires_at_ms      INTEGER,
    activated_at_ms    INTEGER,
    closed_at_ms       INTEGER,
    close_reason       TEXT,
    suspension_id      TEXT,
    PRIMARY KEY (partition_key, execution_id, waitpoint_id)
);

-- At most one open waitpoint per key and execution.
CREATE UNIQUE INDEX ff_waitpoint_open_key_idx ON ff_waitpoint (partition_key, execution_id, waitpoint_key)
    WHERE state <> 'closed';

CREATE INDEX ff_waitpoint_expiry_idx ON ff_waitpoint (expires_at_ms)
    WHERE state = 'pending' AND expires_at_ms IS NOT NULL;

-- Suspensions; open while closed_at_ms is null. outcome_json replays an idempotent suspend.
CREATE TABLE ff_suspension (
    partition_key     INTEGER NOT NULL,
    execution_id      TEXT     NOT NULL,
    suspension_id     TEXT     NOT NULL,
    attempt_index     INTEGER  NOT NULL,
    reason_code       TEXT     NOT NULL,
    condition_json    TEXT    NOT NULL,
    timeout_at_ms     INTEGER,
    timeout_behavior  TEXT     NOT NULL,
    resume_delay_ms   INTEGER   NOT NULL,
    suspended_at_ms   INTEGER   NOT NULL,
    idempotency_key   TEXT,
    outcome_json      TEXT    NOT NULL,
    closed_at_ms      INTEGER,
    close_reason      TEXT,
    PRIMARY KEY (partition_key, execution_id, suspension_id)
);

CREATE UNIQUE INDEX ff_suspension_idempotency_idx ON ff_suspension (partition_key, execution_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE INDEX ff_suspension_timeout_idx ON ff_suspension (timeout_at_ms)
    WHERE closed_at_ms IS NULL AND timeout_at_ms IS NOT NULL;

-- Delivered signals (a deduplicated delivery writes no row).
CREATE TABLE ff_signal (
    partition_key     INTEGER NOT NULL,
    execution_id      TEXT     NOT NULL,
    signal_id         TEXT     NOT NULL,
    waitpoint_id      TEXT     NOT NULL,
    waitpoint_key     TEXT     NOT NULL,
    signal_name       TEXT     NOT NULL,
    source_type       TEXT     NOT NULL,
    source_identity   TEXT     NOT NULL,
    idempotency_key   TEXT,
    payload           BLOB    NOT NULL,
    delivered_at_ms   INTEGER   NOT NULL,
    effect            TEXT     NOT NULL,
    PRIMARY KEY (partition_key, execution_id, signal_id)
);

CREATE UNIQUE INDEX ff_signal_idempotency_idx ON ff_signal (partition_key, execution_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
