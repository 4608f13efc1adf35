-- Passwordless login (issue 5): one pending code per address, stored only as an HMAC, never in clear.
-- A new code replaces the row, which is how "a new code voids the old one" holds without a sweep.
CREATE TABLE login_codes (
  email        text        PRIMARY KEY,
  code_hash    bytea       NOT NULL,
  attempts     int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  expires_at   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Fixed-window request counters for login/start, shared by every core node through the database: one row per
-- (bucket, window), bumped atomically by an upsert. Buckets are "email:<address>" and "addr:<client ip>".
CREATE TABLE login_rate_windows (
  bucket       text        NOT NULL,
  window_start timestamptz NOT NULL,
  hits         int         NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX login_rate_windows_age ON login_rate_windows (window_start);
