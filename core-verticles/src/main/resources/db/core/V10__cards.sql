-- Core's inventory: one row per physical card. Its id is the slabtrackCardId every app references.
-- Money is integer cents; a null comp means "no comp known", 0 is treated the same by the comp chain.
CREATE TABLE cards (
  id                       bigserial   PRIMARY KEY,
  owner_id                 text        NOT NULL,
  consignor                text        NULL,
  player                   text        NOT NULL CHECK (length(player) BETWEEN 1 AND 200),
  year                     int         NULL CHECK (year BETWEEN 1800 AND 2100),
  set_name                 text        NULL,
  card_number              text        NULL,
  parallel                 text        NULL,
  grading_company          text        NULL,
  grade                    numeric(3,1) NULL CHECK (grade BETWEEN 0 AND 10),
  cert_number              text        NULL,
  front_image_url          text        NULL,
  back_image_url           text        NULL,
  front_image_thumb        text        NULL,
  asking_price             bigint      NULL CHECK (asking_price >= 0),
  sportscardspro_psa10     bigint      NULL CHECK (sportscardspro_psa10 >= 0),
  sportscardspro_psa9      bigint      NULL CHECK (sportscardspro_psa9 >= 0),
  sportscardspro_psa8      bigint      NULL CHECK (sportscardspro_psa8 >= 0),
  sportscardspro_psa7      bigint      NULL CHECK (sportscardspro_psa7 >= 0),
  sportscardspro_bgs10     bigint      NULL CHECK (sportscardspro_bgs10 >= 0),
  sportscardspro_cgc10     bigint      NULL CHECK (sportscardspro_cgc10 >= 0),
  sportscardspro_sgc10     bigint      NULL CHECK (sportscardspro_sgc10 >= 0),
  sportscardspro_raw       bigint      NULL CHECK (sportscardspro_raw >= 0),
  ebay_avg                 bigint      NULL CHECK (ebay_avg >= 0),
  ebay_low                 bigint      NULL CHECK (ebay_low >= 0),
  ebay_high                bigint      NULL CHECK (ebay_high >= 0),
  ebay_sample_size         int         NULL CHECK (ebay_sample_size >= 0),
  comps_refreshed_at       timestamptz NULL,
  -- personal: in inventory, on no selling channel; listed: active on at least one other channel;
  -- sold: left inventory for good (until the operator relists it)
  listing_status           text        NOT NULL DEFAULT 'personal' CHECK (listing_status IN ('personal', 'listed', 'sold')),
  is_keeper                boolean     NOT NULL DEFAULT false,
  pull_eligible            boolean     NOT NULL DEFAULT true,
  flip_eligible            boolean     NOT NULL DEFAULT true,
  sold_channel             text        NULL,
  sold_order_ref           text        NULL,
  sold_price_cents         bigint      NULL,
  sold_claim_id            text        NULL,
  sold_at                  timestamptz NULL,
  version                  bigint      NOT NULL DEFAULT 1,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CHECK ((listing_status = 'sold') = (sold_channel IS NOT NULL))
);

-- A slab's certificate identifies it: the same cert twice is the same card entered twice.
CREATE UNIQUE INDEX cards_cert_unique ON cards (upper(grading_company), cert_number)
  WHERE cert_number IS NOT NULL AND grading_company IS NOT NULL;
CREATE INDEX cards_player ON cards (lower(player), id);
CREATE INDEX cards_status ON cards (listing_status, id);
CREATE INDEX cards_price ON cards (asking_price, id);

-- The comp value chain and the price-audit flags of DOMAIN.md, in one place: every read of a card goes
-- through this view, so the API, the audit and the filters can never disagree.
CREATE VIEW cards_priced AS
SELECT c.*, p.comp_value, p.comp_source,
       array_remove(ARRAY[
         CASE WHEN p.comp_value = 0 THEN 'needs_review' END,
         CASE WHEN c.comps_refreshed_at IS NULL OR c.comps_refreshed_at < now() - interval '30 days' THEN 'stale_comps' END,
         CASE WHEN p.comp_value > 0 AND c.asking_price > 2 * p.comp_value THEN 'over' END,
         CASE WHEN p.comp_value > 0 AND c.asking_price IS NOT NULL AND c.asking_price * 2 < p.comp_value THEN 'under' END
       ], NULL) AS audit_flags
FROM cards c
CROSS JOIN LATERAL (
  SELECT CASE upper(coalesce(c.grading_company, '')) || ' ' || coalesce(rtrim(to_char(c.grade, 'FM99.9'), '.'), '')
           WHEN 'PSA 10' THEN c.sportscardspro_psa10
           WHEN 'PSA 9'  THEN c.sportscardspro_psa9
           WHEN 'PSA 8'  THEN c.sportscardspro_psa8
           WHEN 'PSA 7'  THEN c.sportscardspro_psa7
           WHEN 'BGS 10' THEN c.sportscardspro_bgs10
           WHEN 'CGC 10' THEN c.sportscardspro_cgc10
           WHEN 'SGC 10' THEN c.sportscardspro_sgc10
         END AS graded
) g
CROSS JOIN LATERAL (
  SELECT CASE
           WHEN coalesce(g.graded, 0) > 0 THEN g.graded
           WHEN coalesce(c.sportscardspro_raw, 0) > 0 THEN c.sportscardspro_raw
           WHEN coalesce(c.ebay_avg, 0) > 0 THEN c.ebay_avg
           WHEN coalesce(c.asking_price, 0) > 0 THEN c.asking_price
           ELSE 0
         END AS comp_value,
         CASE
           WHEN coalesce(g.graded, 0) > 0 THEN 'graded'
           WHEN coalesce(c.sportscardspro_raw, 0) > 0 THEN 'raw'
           WHEN coalesce(c.ebay_avg, 0) > 0 THEN 'ebay_avg'
           WHEN coalesce(c.asking_price, 0) > 0 THEN 'asking_price'
           ELSE 'none'
         END AS comp_source
) p;
