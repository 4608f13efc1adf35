-- Listings ingested from core (tot.cards.publish / POST /api/webhook/ingest): one row per listingKey.
CREATE TABLE listings (
  id            bigserial PRIMARY KEY,
  listing_key   text        NOT NULL UNIQUE,
  kind          text        NOT NULL CHECK (kind IN ('single', 'lot')),
  type          text        NOT NULL DEFAULT 'FLIP' CHECK (type IN ('FLIP', 'PICK_ONE', 'GAME_DAY')),
  status        text        NOT NULL CHECK (status IN ('ACTIVE', 'WITHDRAWN', 'COMPLETED')),
  version       bigint      NOT NULL,
  card_value    bigint      NOT NULL CHECK (card_value >= 0),
  spread        numeric(5, 4) NOT NULL CHECK (spread >= 0 AND spread < 1),
  win_price     bigint      NOT NULL CHECK (win_price >= 0),
  lose_price    bigint      NOT NULL CHECK (lose_price >= win_price),
  flip_eligible boolean     NOT NULL,
  pull_eligible boolean     NOT NULL,
  search_text   text        NOT NULL DEFAULT '',
  players       text        NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX listings_status_kind ON listings (status, kind, id);

CREATE TABLE listing_cards (
  listing_id bigint NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  card_id    bigint NOT NULL,
  version    bigint NOT NULL,
  price      bigint NOT NULL CHECK (price >= 0),
  snapshot   jsonb  NOT NULL,
  PRIMARY KEY (listing_id, card_id)
);
CREATE INDEX listing_cards_card ON listing_cards (card_id);

-- The last version applied per listingKey, kept even when no listing row exists (a disengage that arrived
-- first), so a stale or replayed publish can never bring a listing back.
CREATE TABLE listing_versions (
  listing_key text   PRIMARY KEY,
  version     bigint NOT NULL
);
