-- Buyer browse cache versions, one row per shop (scope = the shop's slug): each node caches a shop's browse answers
-- under its version, read (one indexed row, shared by the requests waiting) before each answer (BrowseCache). The triggers below give the shop a new
-- version in the same transaction as any change buyers could see (a card published, disengaged, sold, re-priced,
-- featured or hidden; the shop's own row), at commit and under the row's lock, so versions follow commit order
-- whatever code path made the change.
CREATE SEQUENCE browse_version_seq;

CREATE TABLE browse_versions (
  scope   text   PRIMARY KEY,
  version bigint NOT NULL
);

INSERT INTO browse_versions (scope, version) SELECT slug, nextval('browse_version_seq') FROM storefronts;

-- Once per transaction and scope: a second update of the row in the same transaction would lengthen its chain of
-- row versions, which every later update walks (a batch of 50,000 rows would be quadratic). Which scopes this
-- transaction bumped already is a transaction-local setting.
CREATE FUNCTION browse_bump(p_scope text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  bumped text := coalesce(nullif(current_setting('browse.bumped', true), ''), ',');
BEGIN
  IF position(',' || p_scope || ',' IN bumped) = 0 THEN
    INSERT INTO browse_versions (scope, version) VALUES (p_scope, nextval('browse_version_seq'))
    ON CONFLICT (scope) DO UPDATE SET version = EXCLUDED.version;
    PERFORM set_config('browse.bumped', bumped || p_scope || ',', true);
  END IF;
END $$;

CREATE FUNCTION storefront_cards_browse_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM browse_bump(OLD.shop_slug);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM browse_bump(NEW.shop_slug);
  END IF;
  RETURN NULL;
END $$;

-- deferred: runs at commit, so the version row is locked only while the transaction commits
CREATE CONSTRAINT TRIGGER storefront_cards_browse AFTER INSERT OR UPDATE OR DELETE ON storefront_cards
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION storefront_cards_browse_bump();

CREATE FUNCTION storefronts_browse_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM browse_bump(CASE WHEN TG_OP = 'DELETE' THEN OLD.slug ELSE NEW.slug END);
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER storefronts_browse AFTER INSERT OR UPDATE OR DELETE ON storefronts
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION storefronts_browse_bump();

-- the browse order in full, so a page is read straight off the index and cut at its LIMIT
CREATE INDEX storefront_cards_browse_page ON storefront_cards
  (shop_slug, featured DESC, updated_at DESC, slabtrack_card_id DESC) WHERE listed AND status = 'active';
DROP INDEX storefront_cards_browse;
