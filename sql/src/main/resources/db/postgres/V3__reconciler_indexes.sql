-- Indexes for the reconcilers and reclaims. Each partial index holds only the rows its scan can match,
-- ordered by the time the scan compares with, so a pass reads just the due rows.

CREATE INDEX ff_exec_core_lease_expiry_idx ON ff_exec_core (lease_expires_at_ms)
    WHERE lifecycle_phase = 'active' AND ownership_state = 'leased';

CREATE INDEX ff_exec_core_delayed_idx ON ff_exec_core (eligible_at_ms)
    WHERE lifecycle_phase = 'runnable' AND eligibility_state = 'not_eligible_until_time';

CREATE INDEX ff_exec_core_attempt_deadline_idx ON ff_exec_core (attempt_deadline_at_ms)
    WHERE lifecycle_phase = 'active' AND attempt_deadline_at_ms IS NOT NULL;

CREATE INDEX ff_exec_core_deadline_idx ON ff_exec_core (deadline_at_ms)
    WHERE lifecycle_phase <> 'terminal' AND deadline_at_ms IS NOT NULL;

CREATE INDEX ff_exec_core_retention_idx ON ff_exec_core (terminal_at_ms)
    WHERE lifecycle_phase = 'terminal';

-- Reclaimable rows in claim order.
CREATE INDEX ff_exec_core_reclaim_idx
    ON ff_exec_core (namespace, lane_id, priority DESC, created_at_ms, execution_id)
    WHERE lifecycle_phase = 'active'
      AND ownership_state IN ('lease_expired_reclaimable', 'lease_revoked');

-- Retention deletes an execution's idempotency keys by execution.
CREATE INDEX ff_idempotency_key_execution_idx ON ff_idempotency_key (partition_key, execution_id);
