-- The SQLite migration with this version drops its outbox position indexes, which order by (tx_id,
-- event_id) where tx_id is always 0. On PostgreSQL tx_id is the writing transaction's id and the feeds
-- read in (tx_id, event_id) order, so the indexes stay. This version keeps the two dialects' histories
-- aligned.
SELECT 1;
