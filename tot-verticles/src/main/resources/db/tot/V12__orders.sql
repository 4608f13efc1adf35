-- Orders: one per play whose payment was authorized; created at reveal, paid once captured.
CREATE TABLE orders (
  id                text        PRIMARY KEY,
  play_id           text        NOT NULL UNIQUE REFERENCES plays (id),
  status            text        NOT NULL CHECK (status IN ('awaiting_confirmation', 'paid', 'shipped', 'delivered',
                                                           'refunded', 'partially_refunded', 'disputed',
                                                           'cancelled', 'capture_failed')),
  claim_id          text        NOT NULL UNIQUE,
  card_ids          bigint[]    NOT NULL,
  amount            bigint      NOT NULL CHECK (amount > 0),
  captured_cents    bigint      NOT NULL DEFAULT 0,
  refunded_cents    bigint      NOT NULL DEFAULT 0,
  email             text        NOT NULL,
  shipping_address  jsonb       NOT NULL,
  status_token      text        NOT NULL,
  payment_intent_id text        NOT NULL,
  charge_id         text,
  tracking_number   text,
  carrier           text,
  dispute_status    text,
  dispute_deadline  timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_status_created ON orders (status, created_at);

CREATE TABLE dispute_log (
  id          bigserial   PRIMARY KEY,
  order_id    text        NOT NULL REFERENCES orders (id),
  dispute_id  text        NOT NULL,
  event_type  text        NOT NULL,
  status      text,
  reason      text,
  amount      bigint,
  due_by      timestamptz,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
