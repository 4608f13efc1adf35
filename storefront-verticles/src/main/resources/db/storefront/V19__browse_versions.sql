-- Buyer browse cache versions, one row per shop (scope = the shop's slug): each node caches a shop's browse answers
-- under its version, read (one indexed row, shared by the requests waiting) before each answer (BrowseCache). The triggers below give the shop a new
-- version in the same transaction as any change buyers could see (a card published, disengaged, sold, re-priced,
-- featured or hidden; the shop's own row), at commit and under the row's lock, so versions follow commit order
-- whatever code path made the change. `active` is the shop's count of buyable cards (listed AND active), kept by the
-- same triggers, so an unfiltered browse never counts the shop's rows.
CREATE SEQUENCE browse_version_seq;

CREATE TABLE browse_versions (
  scope   text   PRIMARY KEY,
  version bigint NOT NULL,
  active  bigint NOT NULL DEFAULT 0 CHECK (active >= 0)
);

INSERT INTO browse_versions (scope, version, active)
SELECT s.slug, nextval('browse_version_seq'),
       (SELECT count(*) FROM storefront_cards c WHERE c.shop_slug = s.slug AND c.listed AND c.status = 'active')
FROM storefronts s;

CREATE FUNCTION browse_bump(p_scope text, p_delta bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO browse_versions (scope, version, active) VALUES (p_scope, nextval('browse_version_seq'), greatest(p_delta, 0))
  ON CONFLICT (scope) DO UPDATE SET version = EXCLUDED.version, active = browse_versions.active + p_delta
$$;

CREATE FUNCTION storefront_cards_browse_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.shop_slug = NEW.shop_slug THEN
    PERFORM browse_bump(NEW.shop_slug, (NEW.listed AND NEW.status = 'active')::int
                                       - (OLD.listed AND OLD.status = 'active')::int);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM browse_bump(OLD.shop_slug, -((OLD.listed AND OLD.status = 'active')::int));
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM browse_bump(NEW.shop_slug, (NEW.listed AND NEW.status = 'active')::int);
  END IF;
  RETURN NULL;
END $$;

-- deferred: runs at commit, so the version row is locked only while the transaction commits
CREATE CONSTRAINT TRIGGER storefront_cards_browse AFTER INSERT OR UPDATE OR DELETE ON storefront_cards
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION storefront_cards_browse_bump();

CREATE FUNCTION storefronts_browse_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM browse_bump(CASE WHEN TG_OP = 'DELETE' THEN OLD.slug ELSE NEW.slug END, 0);
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER storefronts_browse AFTER INSERT OR UPDATE OR DELETE ON storefronts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION storefronts_browse_bump();

-- the browse order in full, so a page is read straight off the index and cut at its LIMIT
CREATE INDEX storefront_cards_browse_page ON storefront_cards
  (shop_slug, featured DESC, updated_at DESC, slabtrack_card_id DESC) WHERE listed AND status = 'active';
DROP INDEX storefront_cards_browse;
