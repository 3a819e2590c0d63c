-- Pages of an execution's open waitpoints in (created_at_ms, waitpoint_id) order. The index holds only
-- the open rows (the predicate of ff_waitpoint_open_key_idx) in page order, so a page starting after a
-- keyset position is one range scan that stops at the page size, with no sort.
CREATE INDEX ff_waitpoint_open_list_idx ON ff_waitpoint (partition_key, execution_id, created_at_ms, waitpoint_id)
    WHERE state <> 'closed';
