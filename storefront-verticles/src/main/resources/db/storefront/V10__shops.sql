-- One shop per slug (DOMAIN.md, Storefront). The owner is a core user id (the session's sub).
CREATE TABLE storefronts (
  slug                    text        PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{3,40}$'),
  name                    text        NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  owner_id                text        NOT NULL,
  bio                     text        NULL,
  banner_url              text        NULL,
  theme                   jsonb       NOT NULL,
  ship_from               jsonb       NULL,
  stripe_account_id       text        NULL UNIQUE,
  stripe_charges_enabled  boolean     NOT NULL DEFAULT false,
  stripe_details_submitted boolean    NOT NULL DEFAULT false,
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX storefronts_owner ON storefronts (owner_id);
