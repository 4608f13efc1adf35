-- Durable delivery between apps (see io.slabtrack.cluster.outbox.Outbox for the protocol).

-- Sender side: a message is written here in the same transaction as the state change it announces,
-- then relayed over the event bus until the receiver acknowledges it.
CREATE TABLE outbox (
  id              bigserial   PRIMARY KEY,
  event_id        uuid        NOT NULL UNIQUE,
  aggregate       text        NOT NULL,  -- ordering key ("card:123"): one in flight per aggregate, in id order
  address         text        NOT NULL,
  payload         jsonb       NOT NULL,
  reply_handler   text        NULL,      -- name in the sender's ReplyHandlers; null = ack only
  status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        int         NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text        NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz NULL,
  reply           jsonb       NULL
);

-- The relay asks "is there an earlier pending row of this aggregate?" for every candidate: this partial
-- index answers it and also lists the candidates, and stays small because delivered rows leave it.
CREATE INDEX outbox_pending_by_aggregate ON outbox (aggregate, id) WHERE status = 'pending';
CREATE INDEX outbox_pending_due ON outbox (next_attempt_at, id) WHERE status = 'pending';
-- The operator view lists the latest rows that still need attention.
CREATE INDEX outbox_undelivered_latest ON outbox (id DESC) WHERE status <> 'delivered';

-- Relays LISTEN on 'outbox' so a new message goes out at commit time instead of at the next poll.
-- NOTIFY is transactional: it is sent on commit, and never for a rolled-back enqueue.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END;
$$;

-- Statement level: one notification per enqueueing statement, however many rows it writes.
CREATE TRIGGER outbox_notify_insert AFTER INSERT ON outbox
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- A dead row replayed by an operator is deliverable again right away.
CREATE TRIGGER outbox_notify_replay AFTER UPDATE OF status ON outbox
  FOR EACH ROW WHEN (OLD.status = 'dead' AND NEW.status = 'pending') EXECUTE FUNCTION outbox_notify();

-- Receiver side: one row per event processed, with the first reply, so a redelivery is answered with
-- that reply and never applied twice. The primary key serialises concurrent duplicate deliveries.
CREATE TABLE inbox (
  event_id     uuid        PRIMARY KEY,
  address      text        NOT NULL,
  reply        jsonb       NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);
