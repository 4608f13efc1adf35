-- A card core listed in a shop, keyed by core's id. `version` is the last card version applied from core;
-- a message with a lower or equal version is dropped. `listed` is core's side (publish = true, disengage = false);
-- `status` is the shop's side: active, hidden by the owner, or sold here. Buyers see listed AND active.
CREATE TABLE storefront_cards (
  slabtrack_card_id bigint      PRIMARY KEY,
  shop_slug         text        NOT NULL REFERENCES storefronts (slug),
  snapshot          jsonb       NOT NULL,
  published_price   bigint      NULL CHECK (published_price >= 0),
  custom_price      bigint      NULL CHECK (custom_price >= 0),
  featured          boolean     NOT NULL DEFAULT false,
  status            text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'hidden', 'sold')),
  quantity          int         NOT NULL DEFAULT 1 CHECK (quantity >= 0),
  listed            boolean     NOT NULL DEFAULT true,
  version           bigint      NOT NULL,
  disengage_reason  text        NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX storefront_cards_browse ON storefront_cards (shop_slug, featured DESC, updated_at DESC)
  WHERE listed AND status = 'active';

-- Every publish/update/disengage event id applied, whichever way it came (bus or HTTP): a replay is a no-op.
CREATE TABLE storefront_card_events (
  event_id     uuid        PRIMARY KEY,
  card_id      bigint      NOT NULL,
  outcome      text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);
