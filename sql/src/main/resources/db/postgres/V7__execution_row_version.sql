-- A version per execution row, incremented by every update. Lease-bound operations read the row without
-- locking it and write back in one statement only if the version is still the one they read; a row changed
-- in between is retried under a row lock. Saves the BEGIN, SELECT ... FOR UPDATE and COMMIT round trips.
ALTER TABLE ff_exec_core ADD COLUMN row_version bigint NOT NULL DEFAULT 0;
