-- An Idempotency-Key of a play being committed right now. The row is claimed in its own statement before anything
-- else happens and deleted in the transaction that stores the play (whose idempotency_key then answers retries), or
-- when the attempt fails; so a play holds no connection while it takes sale-locks and calls Stripe, and a retry
-- that arrives meanwhile sees "in progress". A claim older than a play can take (its node died mid-way) may be
-- taken over.
CREATE TABLE play_key_claims (
  idempotency_key text        PRIMARY KEY,
  request_hash    text        NOT NULL,
  claim_token     text        NOT NULL,
  claimed_at      timestamptz NOT NULL DEFAULT now()
);
