-- A version per execution row, incremented by every update (see the PostgreSQL migration; SQLite's single
-- writer never needs the optimistic path, but keeps the column so both dialects store the same rows).
ALTER TABLE ff_exec_core ADD COLUMN row_version INTEGER NOT NULL DEFAULT 0;
