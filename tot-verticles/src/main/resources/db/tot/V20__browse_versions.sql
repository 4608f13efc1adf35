-- Buyer browse cache version of ToT's listings (one scope, 'listings'): each node caches browse answers under it,
-- read (one indexed row, shared by the requests waiting) before each answer (BrowseCache). The triggers give it a new version in the same transaction as any change
-- buyers could see (a listing published, updated, withdrawn, played, settled or re-priced; its cards), at commit and
-- under the row's lock, so versions follow commit order whatever code path made the change.
CREATE SEQUENCE browse_version_seq;

CREATE TABLE browse_versions (
  scope   text   PRIMARY KEY,
  version bigint NOT NULL
);

INSERT INTO browse_versions (scope, version) VALUES ('listings', nextval('browse_version_seq'));

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

CREATE FUNCTION listings_browse_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM browse_bump('listings');
  RETURN NULL;
END $$;

CREATE FUNCTION listing_cards_browse_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM browse_bump('listings');
  RETURN NULL;
END $$;

-- deferred: runs at commit, so the version row is locked only while the transaction commits
CREATE CONSTRAINT TRIGGER listings_browse AFTER INSERT OR UPDATE OR DELETE ON listings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION listings_browse_bump();

CREATE CONSTRAINT TRIGGER listing_cards_browse AFTER INSERT OR UPDATE OR DELETE ON listing_cards
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION listing_cards_browse_bump();

-- an unfiltered page of active listings read straight off an index in id order, cut at its LIMIT
CREATE INDEX listings_active_id ON listings (id) WHERE status = 'ACTIVE';
