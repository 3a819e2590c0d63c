-- Waitpoints, suspensions, signals and the waitpoint signing keys.

-- Signing keys for waitpoint tokens (HMAC-SHA256). One key is current; a superseded key keeps verifying
-- tokens until valid_until_ms.
CREATE TABLE ff_waitpoint_hmac (
    kid             text    NOT NULL,
    secret          bytea   NOT NULL,
    created_at_ms   bigint  NOT NULL,
    is_current      boolean NOT NULL,
    valid_until_ms  bigint,
    PRIMARY KEY (kid)
);

-- A waitpoint is pending (created under a lease, buffering signals), active (bound to a suspension) or
-- closed. The token is not stored: deliveries are verified by recomputing it.
CREATE TABLE ff_waitpoint (
    partition_key      smallint NOT NULL,
    execution_id       uuid     NOT NULL,
    waitpoint_id       uuid     NOT NULL,
    waitpoint_key      text     NOT NULL,
    state              text     NOT NULL,
    token_kid          text     NOT NULL,
    token_fingerprint  text     NOT NULL,
    created_at_ms      bigint   NOT NULL,
    expires_at_ms      bigint,
    activated_at_ms    bigint,
    closed_at_ms       bigint,
    close_reason       text,
    suspension_id      uuid,
    PRIMARY KEY (partition_key, execution_id, waitpoint_id)
);

-- At most one open waitpoint per key and execution.
CREATE UNIQUE INDEX ff_waitpoint_open_key_idx ON ff_waitpoint (partition_key, execution_id, waitpoint_key)
    WHERE state <> 'closed';

CREATE INDEX ff_waitpoint_expiry_idx ON ff_waitpoint (expires_at_ms)
    WHERE state = 'pending' AND expires_at_ms IS NOT NULL;

-- Suspensions; open while closed_at_ms is null. outcome_json replays an idempotent suspend.
CREATE TABLE ff_suspension (
    partition_key     smallint NOT NULL,
    execution_id      uuid     NOT NULL,
    suspension_id     uuid     NOT NULL,
    attempt_index     integer  NOT NULL,
    reason_code       text     NOT NULL,
    condition_json    jsonb    NOT NULL,
    timeout_at_ms     bigint,
    timeout_behavior  text     NOT NULL,
    resume_delay_ms   bigint   NOT NULL,
    suspended_at_ms   bigint   NOT NULL,
    idempotency_key   text,
    outcome_json      jsonb    NOT NULL,
    closed_at_ms      bigint,
    close_reason      text,
    PRIMARY KEY (partition_key, execution_id, suspension_id)
);

CREATE UNIQUE INDEX ff_suspension_idempotency_idx ON ff_suspension (partition_key, execution_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE INDEX ff_suspension_timeout_idx ON ff_suspension (timeout_at_ms)
    WHERE closed_at_ms IS NULL AND timeout_at_ms IS NOT NULL;

-- Delivered signals (a deduplicated delivery writes no row).
CREATE TABLE ff_signal (
    partition_key     smallint NOT NULL,
    execution_id      uuid     NOT NULL,
    signal_id         uuid     NOT NULL,
    waitpoint_id      uuid     NOT NULL,
    waitpoint_key     text     NOT NULL,
    signal_name       text     NOT NULL,
    source_type       text     NOT NULL,
    source_identity   text     NOT NULL,
    idempotency_key   text,
    payload           bytea    NOT NULL,
    delivered_at_ms   bigint   NOT NULL,
    effect            text     NOT NULL,
    PRIMARY KEY (partition_key, execution_id, signal_id)
);

CREATE UNIQUE INDEX ff_signal_idempotency_idx ON ff_signal (partition_key, execution_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
