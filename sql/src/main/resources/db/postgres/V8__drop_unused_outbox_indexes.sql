-- Only the completion feed is looked up by execution (awaiting one execution's outcome); the lease,
-- operator and signal feeds are read by position alone. Their per-execution indexes cost an index insert
-- for every event (two lease events per execution) and served no query.
DROP INDEX ff_lease_event_execution_idx;
DROP INDEX ff_operator_event_execution_idx;
DROP INDEX ff_signal_event_execution_idx;
