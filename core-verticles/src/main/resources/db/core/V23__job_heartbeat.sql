-- A job's node moves heartbeat_at while it works, so a job whose node died is recognised (and failed) instead of
-- showing 'running' forever. Jobs already running when this applies get one full threshold to prove they're alive.
ALTER TABLE jobs ADD COLUMN heartbeat_at timestamptz NOT NULL DEFAULT now();

-- The file a job imported (SHA-256 of its rows as parsed): re-running the same file after a failure skips the rows
-- without a cert number that the earlier run imported (graded cards are caught by cards_cert_unique).
ALTER TABLE jobs ADD COLUMN source_sha256 text NULL;
CREATE INDEX jobs_source ON jobs (source_sha256, processed) WHERE source_sha256 IS NOT NULL;
