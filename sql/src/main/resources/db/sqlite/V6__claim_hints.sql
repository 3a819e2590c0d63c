-- Claim hints need no schema on SQLite: the engine owns the database file, so the store announces rows it
-- wrote claimable in-process after COMMIT. This version keeps the two dialects' histories aligned.
SELECT 1;
