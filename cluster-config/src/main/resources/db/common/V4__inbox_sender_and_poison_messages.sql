-- Which app sent each inbox event, for addresses whose senders are authenticated (service token in a bus header):
-- a redelivery is answered only to the app that sent the event first. NULL: an address without sender checks, or
-- an event recorded before this column existed (answered to anyone, as then).
ALTER TABLE inbox ADD COLUMN sender text NULL;

-- Poison messages: failures where the message reached its handler and it failed (our reply handler threw, the
-- receiver's handler failed with 500). A message with RELAY_MAX_FAILURES of them is dead-lettered; failures
-- that only say "the receiver is not there" (no handler, timeout, 503) never count: those wait for the receiver.
ALTER TABLE outbox ADD COLUMN failures int NOT NULL DEFAULT 0;

-- A dead message of an address whose order matters (a claim, a release) keeps holding its aggregate: the
-- aggregate's later messages wait behind it until an operator replays it or lets the aggregate go on.
ALTER TABLE outbox ADD COLUMN holds_aggregate boolean NOT NULL DEFAULT false;
CREATE INDEX outbox_dead_holding_aggregate ON outbox (aggregate, id) WHERE status = 'dead' AND holds_aggregate;
