-- Abuse limits shared by every app (issue 12), in each app's own database so all nodes of an app count together.

-- Fixed-window request counters: one row per (bucket, window), bumped atomically by an upsert. Buckets name their
-- purpose first: "login:email:<address>", "buyer:addr:<client>", ... (RateLimiter).
CREATE TABLE rate_windows (
  bucket       text        NOT NULL,
  window_start timestamptz NOT NULL,
  hits         int         NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_windows_age ON rate_windows (window_start);

-- What an anonymous buyer holds: one row per checkout/play created (ref = the order or play id), with the client
-- address and e-mail it counts against. Whether it still holds anything is the app's own order state; expires_at
-- (its sale-locks' TTL) stops a row counting even if that state is updated late (BuyerLimits).
CREATE TABLE buyer_holds (
  ref             text        PRIMARY KEY,
  client_address  text        NOT NULL,
  email_key       text        NOT NULL,
  idempotency_key text        UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL
);
CREATE INDEX buyer_holds_address ON buyer_holds (client_address, expires_at);
CREATE INDEX buyer_holds_email ON buyer_holds (email_key, expires_at);
