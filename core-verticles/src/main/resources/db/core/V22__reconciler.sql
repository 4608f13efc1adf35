-- Reconciler runs (operator or scheduled) and what each found. A run is readable while it works: phase, the
-- channels it reached, per-kind counts. heartbeat_at moves while it works, so a run whose node died is recognised
-- (and failed) instead of blocking the next one forever.
CREATE TABLE reconcile_runs (
  id           uuid        PRIMARY KEY,
  mode         text        NOT NULL CHECK (mode IN ('report', 'heal')),
  channel      text        NULL,
  trigger      text        NOT NULL CHECK (trigger IN ('operator', 'schedule')),
  options      jsonb       NOT NULL DEFAULT '{}',
  status       text        NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  phase        text        NOT NULL DEFAULT 'queued',
  channels     jsonb       NOT NULL DEFAULT '{}',
  counts       jsonb       NOT NULL DEFAULT '{}',
  healed       int         NOT NULL DEFAULT 0,
  cards_checked int        NOT NULL DEFAULT 0,
  error        text        NULL,
  requested_by text        NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz NULL
);
-- At most one run at a time across all core nodes: a second start is refused while one is running.
CREATE UNIQUE INDEX reconcile_runs_one_running ON reconcile_runs ((true)) WHERE status = 'running';
CREATE INDEX reconcile_runs_finished ON reconcile_runs (finished_at DESC) WHERE status = 'done';

CREATE TABLE reconcile_drift (
  run_id      uuid        NOT NULL REFERENCES reconcile_runs (id) ON DELETE CASCADE,
  seq         int         NOT NULL,
  kind        text        NOT NULL,
  channel     text        NULL,
  card_id     bigint      NULL,
  order_ref   text        NULL,
  evidence    jsonb       NOT NULL,
  fix         text        NOT NULL,
  heal        text        NULL,   -- what heal mode did: 'healed', 'skipped: …', 'failed: …'; null in report mode
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX reconcile_drift_kind ON reconcile_drift (run_id, kind, seq);

-- The card version core last published to each channel. A card's version also moves for changes a satellite never
-- hears of (engaging another channel), so "stale snapshot" means: the satellite shows an older version than the
-- last one core sent it.
ALTER TABLE card_channels ADD COLUMN published_version bigint NULL;
