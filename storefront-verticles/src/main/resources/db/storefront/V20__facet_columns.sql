-- The shop page's filter facets (the distinct graders and years of the cards for sale) are read on a browse-cache
-- miss, once per shop version and node: after every sale or publish. As DISTINCT over the snapshots they read every
-- card of the shop twice (7.5 ms at 5,000 cards, growing with the shop). From these columns and their indexes they
-- are a skip scan (CardSql.FACETS): one index probe per distinct value, whatever the shop's size. The buyer's Year and
-- Grader filters (CardQuery) compare the same columns, so a filter and its facet always mean the same value.
-- Adding stored generated columns rewrites the table once (seconds at tens of thousands of cards).
ALTER TABLE storefront_cards
  ADD COLUMN facet_grader text GENERATED ALWAYS AS (upper(snapshot->>'gradingCompany')) STORED,
  ADD COLUMN facet_year text GENERATED ALWAYS AS (snapshot->>'year') STORED;

CREATE INDEX storefront_cards_facet_grader ON storefront_cards (shop_slug, facet_grader)
  WHERE listed AND status = 'active' AND facet_grader IS NOT NULL;
CREATE INDEX storefront_cards_facet_year ON storefront_cards (shop_slug, facet_year)
  WHERE listed AND status = 'active' AND facet_year IS NOT NULL;
