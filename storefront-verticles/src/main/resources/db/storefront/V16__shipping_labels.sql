-- Shipping labels bought through Shippo (issue 18). A row is also the order's purchase guard: the partial unique
-- index lets one order hold one live label ('buying' while Shippo is asked, then 'bought'), so twenty clicks or a
-- retry buy one label; a refunded label stays as history and the order may get a new one.
CREATE TABLE shipping_labels (
  id               text        PRIMARY KEY,
  order_id         text        NOT NULL REFERENCES orders (id),
  state            text        NOT NULL CHECK (state IN ('buying', 'bought', 'refunded')),
  transaction_id   text        NULL UNIQUE,
  carrier          text        NULL,
  service          text        NULL,
  service_name     text        NULL,
  tracking_number  text        NULL,
  tracking_url     text        NULL,
  label_url        text        NULL,
  cost_cents       bigint      NULL,
  insurance_cents  bigint      NULL,
  ship_from        jsonb       NULL,
  -- how far the parcel got by the carrier's tracking (in_transit, out_for_delivery, delivered): only ever forward
  tracking_status  text        NULL,
  tracking_at      timestamptz NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX shipping_labels_live ON shipping_labels (order_id) WHERE state IN ('buying', 'bought');
CREATE INDEX shipping_labels_by_tracking ON shipping_labels (tracking_number);

-- A bulk print: the merged PDF of every label, and the orders that could not be printed with why. scope = the
-- shop's slug (only that shop's owner and operators read it back).
CREATE TABLE label_batches (
  id          text        PRIMARY KEY,
  scope       text        NOT NULL,
  pdf         bytea       NULL,
  pages       int         NOT NULL,
  printed     jsonb       NOT NULL,
  failures    jsonb       NOT NULL,
  created_by  text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Every tracking event Shippo delivered, once: a replay (same parcel, status and time) is recognised and ignored.
CREATE TABLE tracking_events (
  tracking_number  text        NOT NULL,
  status           text        NOT NULL,
  substatus        text        NOT NULL DEFAULT '',
  status_date      timestamptz NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tracking_number, status, substatus, status_date)
);

-- Where the shop's "new order" notice goes when an order is paid (the owner's address; null = no notice).
ALTER TABLE storefronts ADD COLUMN order_mail_to text NULL;
