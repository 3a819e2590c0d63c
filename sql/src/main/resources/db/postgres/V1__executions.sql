-- Executions, their attempts and create-time idempotency keys.
-- Every execution-scoped key starts with partition_key (the partition carried by the execution id), so
-- the schema can later be distributed by that column. Times are epoch milliseconds. State columns hold
-- the canonical literals of the engine-api enums only.

CREATE TABLE ff_exec_core (
    partition_key            smallint  NOT NULL,
    execution_id             uuid      NOT NULL,
    namespace                text      NOT NULL,
    lane_id                  text      NOT NULL,
    execution_kind           text      NOT NULL,
    priority                 integer   NOT NULL,

    lifecycle_phase          text      NOT NULL,
    ownership_state          text      NOT NULL,
    eligibility_state        text      NOT NULL,
    blocking_reason          text      NOT NULL,
    terminal_outcome         text      NOT NULL,
    attempt_state            text      NOT NULL,
    public_state             text      NOT NULL,
    blocking_detail          text,

    created_at_ms            bigint    NOT NULL,
    eligible_at_ms           bigint    NOT NULL,
    started_at_ms            bigint,
    terminal_at_ms           bigint,
    deadline_at_ms           bigint,
    updated_at_ms            bigint    NOT NULL,

    current_attempt_index    integer,
    current_attempt_id       uuid,
    total_attempt_count      integer   NOT NULL DEFAULT 0,
    retry_count              integer   NOT NULL DEFAULT 0,
    reclaim_count            integer   NOT NULL DEFAULT 0,
    replay_count             integer   NOT NULL DEFAULT 0,

    lease_id                 uuid,
    lease_epoch              bigint    NOT NULL DEFAULT 0,
    lease_expires_at_ms      bigint,
    lease_ttl_ms             bigint,
    lease_worker_id          text,
    lease_worker_instance_id text,
    attempt_deadline_at_ms   bigint,

    progress_pct             integer,
    progress_message         text,
    last_error_type          text,
    last_error_message       text,
    cancellation_reason      text,

    payload                  bytea     NOT NULL,
    result                   bytea,
    policy_json              jsonb     NOT NULL,
    tags_json                jsonb     NOT NULL,
    required_capabilities    text[]    NOT NULL DEFAULT '{}',
    idempotency_key          text,

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
    partition_key       smallint NOT NULL,
    execution_id        uuid     NOT NULL,
    attempt_index       integer  NOT NULL,
    attempt_id          uuid     NOT NULL,
    attempt_type        text     NOT NULL,
    attempt_lifecycle   text     NOT NULL,
    lease_id            uuid     NOT NULL,
    lease_epoch         bigint   NOT NULL,
    worker_id           text     NOT NULL,
    worker_instance_id  text     NOT NULL,
    started_at_ms       bigint   NOT NULL,
    ended_at_ms         bigint,
    error_type          text,
    error_message       text,
    PRIMARY KEY (partition_key, execution_id, attempt_index)
);

-- Create-time idempotency: one live reservation per (namespace, key); an expired one may be replaced.
CREATE TABLE ff_idempotency_key (
    namespace        text     NOT NULL,
    idempotency_key  text     NOT NULL,
    partition_key    smallint NOT NULL,
    execution_id     uuid     NOT NULL,
    expires_at_ms    bigint   NOT NULL,
    PRIMARY KEY (namespace, idempotency_key)
);

CREATE INDEX ff_idempotency_key_expiry_idx ON ff_idempotency_key (expires_at_ms);
