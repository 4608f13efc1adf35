-- Buyer browse cache version of ToT's listings (one scope, 'listings'): each node caches browse answers under it,
-- read (one indexed row, shared by the requests waiting) before each answer (BrowseCache). The triggers give it a new version in the same transaction as any change
-- buyers could see (a listing published, updated, withdrawn, played, settled or re-priced; its cards), at commit and
-- under the row's lock, so versions follow commit order whatever code path made the change. `active` is the number
-- of ACTIVE listings, kept by the same triggers, so an unfiltered browse never counts the listings.
CREATE SEQUENCE browse_version_seq;

CREATE TABLE browse_versions (
  scope   text   PRIMARY KEY,
  version bigint NOT NULL,
  active  bigint NOT NULL DEFAULT 0 CHECK (active >= 0)
);

INSERT INTO browse_versions (scope, version, active)
VALUES ('listings', nextval('browse_version_seq'), (SELECT count(*) FROM listings WHERE status = 'ACTIVE'));

CREATE FUNCTION browse_bump(p_scope text, p_delta bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO browse_versions (scope, version, active) VALUES (p_scope, nextval('browse_version_seq'), greatest(p_delta, 0))
  ON CONFLICT (scope) DO UPDATE SET version = EXCLUDED.version, active = browse_versions.active + p_delta
$$;

CREATE FUNCTION listings_browse_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM browse_bump('listings',
      (CASE WHEN TG_OP <> 'DELETE' AND NEW.status = 'ACTIVE' THEN 1 ELSE 0 END)
      - (CASE WHEN TG_OP <> 'INSERT' AND OLD.status = 'ACTIVE' THEN 1 ELSE 0 END));
  RETURN NULL;
END $$;

CREATE FUNCTION listing_cards_browse_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM browse_bump('listings', 0);
  RETURN NULL;
END $$;

-- deferred: runs at commit, so the version row is locked only while the transaction commits
CREATE CONSTRAINT TRIGGER listings_browse AFTER INSERT OR UPDATE OR DELETE ON listings
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION listings_browse_bump();

CREATE CONSTRAINT TRIGGER listing_cards_browse AFTER INSERT OR UPDATE OR DELETE ON listing_cards
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION listing_cards_browse_bump();

-- an unfiltered page of active listings read straight off an index in id order, cut at its LIMIT
CREATE INDEX listings_active_id ON listings (id) WHERE status = 'ACTIVE';
