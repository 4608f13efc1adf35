-- Issue 17: the operator tools' card facts and their proposals.
-- sport and team let the Strategist and the Lot Builder group cards into city / team / sport lots (the team -> city
-- table ships as data: core-verticles/src/main/resources/teams/north-american-teams.csv).
ALTER TABLE cards ADD COLUMN sport text NULL
  CHECK (sport IN ('baseball', 'basketball', 'football', 'hockey', 'soccer', 'other'));
ALTER TABLE cards ADD COLUMN team text NULL CHECK (length(team) BETWEEN 1 AND 500);

-- cards_priced selects c.*, which PostgreSQL expands when the view is created: recreate it so it shows the new
-- columns (same definition as V10).
DROP VIEW cards_priced;
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

-- A stored proposal of the Strategist or the Lot Builder: the operator edits it, then commits it once.
-- open -> committed (its commit engaged the cards) | stale (another proposal committed one of its cards after it was
-- built, so its snapshot of the portfolio is out of date). Proposals older than 30 days are deleted when a new one is
-- stored.
CREATE TABLE proposals (
  id           uuid        PRIMARY KEY,
  tool         text        NOT NULL CHECK (tool IN ('strategist', 'lots')),
  status       text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'committed', 'stale')),
  document     json        NOT NULL, -- json, not jsonb: stored and read whole, never queried inside but by a commit
  created_by   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  committed_at timestamptz NULL
);
CREATE INDEX proposals_open ON proposals (created_at) WHERE status = 'open';
