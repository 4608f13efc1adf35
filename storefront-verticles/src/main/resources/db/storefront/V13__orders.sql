-- Orders (DOMAIN.md): pending -> awaiting_confirmation (authorized, claim sent to core) -> paid -> shipped ->
-- delivered; pending/awaiting_confirmation -> cancelled; paid/shipped/delivered -> refunded; any paid state -> disputed.
CREATE TABLE orders (
  id                    text        PRIMARY KEY,
  shop_slug             text        NOT NULL REFERENCES storefronts (slug),
  state                 text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'awaiting_confirmation',
                          'paid', 'shipped', 'delivered', 'cancelled', 'refunded', 'disputed')),
  email                 text        NOT NULL,
  shipping_address      jsonb       NOT NULL,
  card_ids              bigint[]    NOT NULL,
  amount_cents          bigint      NOT NULL CHECK (amount_cents >= 0),
  application_fee_cents bigint      NOT NULL CHECK (application_fee_cents >= 0),
  idempotency_key       text        NULL,
  lock_ref              text        NOT NULL UNIQUE,
  claim_id              text        NULL UNIQUE,
  checkout_session_id   text        NULL UNIQUE,
  checkout_url          text        NULL,
  payment_intent_id     text        NULL UNIQUE,
  charge_id             text        NULL,
  captured_cents        bigint      NOT NULL DEFAULT 0,
  refunded_cents        bigint      NOT NULL DEFAULT 0,
  cancel_reason         text        NULL,
  last_payment_error    text        NULL,
  dispute               jsonb       NULL,
  shipment              jsonb       NULL,
  buyer_token           text        NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (shop_slug, idempotency_key)
);
CREATE INDEX orders_by_shop ON orders (shop_slug, created_at DESC);

CREATE TABLE order_items (
  order_id     text   NOT NULL REFERENCES orders (id),
  card_id      bigint NOT NULL,
  price_cents  bigint NOT NULL,
  snapshot     jsonb  NOT NULL,
  PRIMARY KEY (order_id, card_id)
);

-- Each Stripe refund once, by its id, whichever way we learn of it (our refund call's answer or refund.created):
-- an order's refunded total is the larger of their sum and the charge's amount_refunded (charge.refunded).
CREATE TABLE order_refunds (
  refund_id    text        PRIMARY KEY,
  order_id     text        NOT NULL REFERENCES orders (id),
  amount_cents bigint      NOT NULL CHECK (amount_cents > 0),
  created_at   timestamptz NOT NULL DEFAULT now()
);
