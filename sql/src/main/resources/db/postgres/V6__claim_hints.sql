-- Claim hints: a row written claimable (runnable and eligible now, or active with a lapsed or revoked
-- lease) notifies the channel ff_claimable with its namespace and lane, separated by the unit separator
-- (names never contain control characters). NOTIFY is delivered at commit and identical payloads of one
-- transaction are sent once, so a batch of creates in one lane costs one notification. Idle workers
-- LISTENing on the channel claim at once instead of at their next poll; the hint carries no data.

CREATE FUNCTION ff_notify_claimable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ff_claimable', NEW.namespace || chr(31) || NEW.lane_id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER ff_exec_core_claimable AFTER INSERT OR UPDATE ON ff_exec_core
    FOR EACH ROW
    WHEN ((NEW.lifecycle_phase = 'runnable' AND NEW.eligibility_state = 'eligible_now')
          OR (NEW.lifecycle_phase = 'active'
              AND NEW.ownership_state IN ('lease_expired_reclaimable', 'lease_revoked')))
    EXECUTE FUNCTION ff_notify_claimable();
