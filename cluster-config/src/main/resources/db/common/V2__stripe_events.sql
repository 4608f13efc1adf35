-- Stripe webhook inbox: one row per Stripe event id, written in the same transaction as the state change the
-- event causes. Stripe delivers at least once, in any order, sometimes concurrently: the primary key makes a
-- replay (or a concurrent duplicate) a no-op that is still acknowledged with 2xx.
CREATE TABLE stripe_events (
  event_id    text        PRIMARY KEY,
  type        text        NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  payload     jsonb       NOT NULL
);

-- Operators look at the latest events of a type when a payment looks stuck.
CREATE INDEX stripe_events_type_received ON stripe_events (type, received_at DESC);
