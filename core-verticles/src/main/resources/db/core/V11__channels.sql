-- The channel registry (DOMAIN.md). whatnot was left open: a live auction can close at any moment and cannot
-- be pulled mid-stream, so we treat it as exclusive.
CREATE TABLE channels (
  slug      text    PRIMARY KEY,
  name      text    NOT NULL,
  exclusive boolean NOT NULL
);
INSERT INTO channels (slug, name, exclusive) VALUES
  ('personal',   'Personal collection', true),
  ('thisorthat', 'ThisOrThat',          false),
  ('storefront', 'Storefront',          false),
  ('showcase',   'Showcase break',      true),
  ('repack',     'Repack',              true),
  ('ebay',       'eBay',                false),
  ('whatnot',    'Whatnot live auction', true);

-- One row per card and channel ever engaged. A card always has its personal row (active while it is on no
-- other channel).
CREATE TABLE card_channels (
  card_id      bigint      NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
  channel      text        NOT NULL REFERENCES channels (slug),
  status       text        NOT NULL CHECK (status IN ('active', 'inactive', 'sold')),
  external_ref text        NULL,   -- the satellite's listing id, once it tells us
  shop         text        NULL,   -- storefront slug
  price_cents  bigint      NULL CHECK (price_cents >= 0), -- channel price; null = the card's asking price
  lot_key      text        NULL,   -- thisorthat: the lot this card is published in
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (card_id, channel),
  CHECK (channel <> 'storefront' OR status <> 'active' OR shop IS NOT NULL)
);
-- One sale per card: at most one channel row is ever 'sold' for a card.
CREATE UNIQUE INDEX card_channels_one_sale ON card_channels (card_id) WHERE status = 'sold';
CREATE INDEX card_channels_active ON card_channels (channel, card_id) WHERE status = 'active';
CREATE INDEX card_channels_lot ON card_channels (lot_key) WHERE lot_key IS NOT NULL;

-- What the command bridge shows as its conflict log: bulk-disengages, claims, releases, relists, lock events,
-- reconciler corrections. Card ids are kept after a card is deleted, so no foreign key.
CREATE TABLE conflict_log (
  id         bigserial   PRIMARY KEY,
  kind       text        NOT NULL,
  card_id    bigint      NULL,
  channel    text        NULL,
  detail     jsonb       NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conflict_log_card ON conflict_log (card_id, id);
