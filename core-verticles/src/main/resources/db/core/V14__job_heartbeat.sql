-- A job's node moves heartbeat_at while it works, so a job whose node died is recognised (and failed) instead of
-- showing 'running' forever. Jobs already running when this applies get one full threshold to prove they're alive.
ALTER TABLE jobs ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();
