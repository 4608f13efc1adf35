-- Price audit actions (issue 17): the operator can mark a card "no comp" — no market comp applies to it (a
-- one-of-one, a wrong match). While the mark holds, the comp chain skips the market comps (comp value falls back to
-- the asking price) and the card is not flagged needs_review or stale_comps. A comp refresh after the mark
-- (comps_refreshed_at > no_comp_at) lifts it by itself, so new market data brings the card back under audit.
ALTER TABLE cards ADD COLUMN no_comp_at timestamptz NULL;

-- The view is rebuilt (not replaced) so that c.* picks up every column cards has by now, whatever migrations ran
-- before this one; everything else is the V10 definition plus the mark.
DROP VIEW cards_priced;
CREATE VIEW cards_priced AS
SELECT c.*, p.comp_value, p.comp_source,
       array_remove(ARRAY[
         CASE WHEN p.comp_value = 0 AND NOT n.no_comp THEN 'needs_review' END,
         CASE WHEN NOT n.no_comp AND (c.comps_refreshed_at IS NULL OR c.comps_refreshed_at < now() - interval '30 days')
              THEN 'stale_comps' END,
         CASE WHEN p.comp_value > 0 AND c.asking_price > 2 * p.comp_value THEN 'over' END,
         CASE WHEN p.comp_value > 0 AND c.asking_price IS NOT NULL AND c.asking_price * 2 < p.comp_value THEN 'under' END
       ], NULL) AS audit_flags,
       n.no_comp
FROM cards c
CROSS JOIN LATERAL (
  SELECT c.no_comp_at IS NOT NULL AND (c.comps_refreshed_at IS NULL OR c.comps_refreshed_at <= c.no_comp_at) AS no_comp
) n
CROSS JOIN LATERAL (
  SELECT CASE WHEN n.no_comp THEN NULL
         ELSE CASE upper(coalesce(c.grading_company, '')) || ' ' || coalesce(rtrim(to_char(c.grade, 'FM99.9'), '.'), '')
           WHEN 'PSA 10' THEN c.sportscardspro_psa10
           WHEN 'PSA 9'  THEN c.sportscardspro_psa9
           WHEN 'PSA 8'  THEN c.sportscardspro_psa8
           WHEN 'PSA 7'  THEN c.sportscardspro_psa7
           WHEN 'BGS 10' THEN c.sportscardspro_bgs10
           WHEN 'CGC 10' THEN c.sportscardspro_cgc10
           WHEN 'SGC 10' THEN c.sportscardspro_sgc10
         END END AS graded,
         CASE WHEN n.no_comp THEN NULL ELSE c.sportscardspro_raw END AS raw,
         CASE WHEN n.no_comp THEN NULL ELSE c.ebay_avg END AS ebay_avg
) g
CROSS JOIN LATERAL (
  SELECT CASE
           WHEN coalesce(g.graded, 0) > 0 THEN g.graded
           WHEN coalesce(g.raw, 0) > 0 THEN g.raw
           WHEN coalesce(g.ebay_avg, 0) > 0 THEN g.ebay_avg
           WHEN coalesce(c.asking_price, 0) > 0 THEN c.asking_price
           ELSE 0
         END AS comp_value,
         CASE
           WHEN coalesce(g.graded, 0) > 0 THEN 'graded'
           WHEN coalesce(g.raw, 0) > 0 THEN 'raw'
           WHEN coalesce(g.ebay_avg, 0) > 0 THEN 'ebay_avg'
           WHEN coalesce(c.asking_price, 0) > 0 THEN 'asking_price'
           ELSE 'none'
         END AS comp_source
) p;
