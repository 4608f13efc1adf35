-- The outbox's status swings from "all delivered" to "tens of thousands pending" within a second (a 5,000-card
-- publish enqueues 20,000 rows in one commit). When ANALYZE (autovacuum's, every minute or so) samples the table in
-- a quiet moment, its statistics say no row is pending, and the relay's claim, planned for "one pending row", ran a
-- nested loop over every pending row per pending row: 4.7 s a claim for a burst of 20,000, minutes per publish.
-- Without statistics on status the planner assumes a fixed share of rows per status and picks the partial indexes on
-- pending rows: 25-33 ms a claim for the same burst, 2.6-4.3 ms in the usual state (measured on PostgreSQL 15).
ALTER TABLE outbox ALTER COLUMN status SET STATISTICS 0;

-- ANALYZE leaves a column's old statistics in place when its target is 0: drop any it has (only a superuser may;
-- a database analyzed by another role keeps them until its owner runs this statement by hand).
DO $$
BEGIN
  DELETE FROM pg_statistic WHERE starelid = 'outbox'::regclass
    AND staattnum = (SELECT attnum FROM pg_attribute WHERE attrelid = 'outbox'::regclass AND attname = 'status');
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'outbox.status statistics not dropped (needs a superuser): %', SQLERRM;
END $$;
