-- Sale claims: one decision per claimId, so a repeated claim gets the first answer.
CREATE TABLE sale_claims (
  claim_id     text        PRIMARY KEY,
  channel      text        NOT NULL,
  order_ref    text        NOT NULL,
  lock_ref     text        NULL,
  card_ids     bigint[]    NOT NULL,
  amount_cents bigint      NOT NULL,
  outcome      text        NOT NULL CHECK (outcome IN ('won', 'lost')),
  reply        jsonb       NOT NULL,
  decided_at   timestamptz NOT NULL DEFAULT now(),
  released_at  timestamptz NULL,
  release_reason text      NULL
);

-- Order ledger per channel, as the satellites report it; the reconciler and integrity checks read it.
CREATE TABLE channel_orders (
  channel         text        NOT NULL,
  order_ref       text        NOT NULL,
  state           text        NOT NULL,
  amount_cents    bigint      NOT NULL,
  captured_cents  bigint      NULL,
  refunded_cents  bigint      NULL,
  card_ids        bigint[]    NOT NULL DEFAULT '{}',
  stripe_id       text        NULL,
  last_event_at   timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, order_ref)
);
-- Every event as received (idempotent by event id); channel_orders holds the latest state.
CREATE TABLE channel_order_events (
  event_id    uuid        PRIMARY KEY,
  channel     text        NOT NULL,
  order_ref   text        NOT NULL,
  state       text        NOT NULL,
  body        jsonb       NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channel_order_events_order ON channel_order_events (channel, order_ref, occurred_at);

-- Background jobs (card imports): progress and per-row errors, readable at GET /api/jobs/{id}.
CREATE TABLE jobs (
  id          uuid        PRIMARY KEY,
  kind        text        NOT NULL,
  status      text        NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  total       int         NOT NULL,
  processed   int         NOT NULL DEFAULT 0,
  succeeded   int         NOT NULL DEFAULT 0,
  failed      int         NOT NULL DEFAULT 0,
  errors      jsonb       NOT NULL DEFAULT '[]',
  message     text        NULL,
  created_by  text        NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz NULL
);
