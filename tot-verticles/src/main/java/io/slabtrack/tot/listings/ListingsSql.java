package io.slabtrack.tot.listings;

/** SQL of the listings feature. */
final class ListingsSql {
  private ListingsSql() {
  }

  /** Records the version; no row back = the message is stale (its version ≤ the last one applied). */
  static final String ADVANCE_VERSION = """
      INSERT INTO listing_versions (listing_key, version) VALUES ($1, $2)
      ON CONFLICT (listing_key) DO UPDATE SET version = EXCLUDED.version
        WHERE listing_versions.version < EXCLUDED.version
      RETURNING version""";

  /** {@link #ADVANCE_VERSION} for a batch ($1 keys, $2 versions): the keys returned are the fresh ones. */
  static final String ADVANCE_VERSIONS = """
      INSERT INTO listing_versions (listing_key, version) SELECT * FROM unnest($1::text[], $2::bigint[])
      ON CONFLICT (listing_key) DO UPDATE SET version = EXCLUDED.version
        WHERE listing_versions.version < EXCLUDED.version
      RETURNING listing_key""";

  /** {@link #LOCK_BY_KEY} for a batch, locked in id order (two batches sharing keys wait, never deadlock). */
  static final String LOCK_BY_KEYS = """
      SELECT listing_key, id, status, spread FROM listings WHERE listing_key = ANY($1::text[]) ORDER BY id FOR UPDATE""";

  /** {@link #INSERT} for a batch; $11 the spread of them all (the default). */
  static final String INSERT_ALL = """
      INSERT INTO listings (listing_key, kind, status, version, card_value, spread, win_price, lose_price,
                            flip_eligible, pull_eligible, search_text, players)
      SELECT k, kd, 'ACTIVE', v, p, $11::numeric, w, lo, f, pu, s, pl
      FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::boolean[],
                  $8::boolean[], $9::text[], $10::text[]) AS t(k, kd, v, p, w, lo, f, pu, s, pl)
      RETURNING id, listing_key, status""";

  /** {@link #UPDATE} for a batch, one row per id. */
  static final String UPDATE_ALL = """
      UPDATE listings l SET kind = t.kd, status = t.st, version = t.v, card_value = t.p, win_price = t.w,
        lose_price = t.lo, flip_eligible = t.f, pull_eligible = t.pu, search_text = t.s, players = t.pl,
        updated_at = now()
      FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
                  $8::boolean[], $9::boolean[], $10::text[], $11::text[]) AS t(id, kd, st, v, p, w, lo, f, pu, s, pl)
      WHERE l.id = t.id RETURNING l.id, l.listing_key, l.status""";

  /** {@link #WITHDRAW} for a batch ($1 keys, $2 versions). */
  static final String WITHDRAW_ALL = """
      UPDATE listings l SET status = 'WITHDRAWN', version = t.v, updated_at = now()
      FROM unnest($1::text[], $2::bigint[]) AS t(k, v)
      WHERE l.listing_key = t.k AND l.status = 'ACTIVE' RETURNING l.listing_key, l.id, l.status""";

  static final String CLEAR_CARDS_ALL = "DELETE FROM listing_cards WHERE listing_id = ANY($1::bigint[])";

  static final String INSERT_CARDS_ALL = """
      INSERT INTO listing_cards (listing_id, card_id, version, price, snapshot)
      SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::jsonb[])""";

  static final String LOCK_BY_KEY = "SELECT id, status, spread FROM listings WHERE listing_key = $1 FOR UPDATE";

  static final String INSERT = """
      INSERT INTO listings (listing_key, kind, status, version, card_value, spread, win_price, lose_price,
                            flip_eligible, pull_eligible, search_text, players)
      VALUES ($1, $2, 'ACTIVE', $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id, status""";

  static final String UPDATE = """
      UPDATE listings SET kind = $2, status = $3, version = $4, card_value = $5, win_price = $6, lose_price = $7,
        flip_eligible = $8, pull_eligible = $9, search_text = $10, players = $11, updated_at = now()
      WHERE id = $1 RETURNING id, status""";

  static final String WITHDRAW = """
      UPDATE listings SET status = 'WITHDRAWN', version = $2, updated_at = now()
      WHERE listing_key = $1 AND status = 'ACTIVE' RETURNING id, status""";

  static final String CLEAR_CARDS = "DELETE FROM listing_cards WHERE listing_id = $1";

  static final String INSERT_CARD = """
      INSERT INTO listing_cards (listing_id, card_id, version, price, snapshot) VALUES ($1, $2, $3, $4, $5)""";

  static final String COLUMNS = """
      l.id, l.listing_key, l.kind, l.type, l.status, l.version, l.card_value, l.spread, l.win_price, l.lose_price,
      l.flip_eligible, l.pull_eligible, l.created_at, l.updated_at,
      (SELECT coalesce(jsonb_agg(c.snapshot || jsonb_build_object('price', c.price) ORDER BY c.card_id), '[]'::jsonb)
         FROM listing_cards c WHERE c.listing_id = l.id) AS cards""";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM listings l WHERE l.id = $1";

  static final String BY_IDS = "SELECT " + COLUMNS + " FROM listings l WHERE l.id = ANY($1) ORDER BY l.id";

  /**
   * $1 status, $2 kind|null, $3 min|null, $4 max|null, $5 player|null, $6 text|null, $7 set name|null, $8 limit,
   * $9 offset.
   */
  static final String FILTER = """
      FROM listings l WHERE l.status = $1
        AND ($2::text IS NULL OR l.kind = $2)
        AND ($3::bigint IS NULL OR l.card_value >= $3)
        AND ($4::bigint IS NULL OR l.card_value <= $4)
        AND ($5::text IS NULL OR l.players ILIKE '%' || $5 || '%')
        AND ($6::text IS NULL OR l.search_text ILIKE '%' || $6 || '%')
        AND ($7::text IS NULL OR EXISTS (SELECT 1 FROM listing_cards c
                                         WHERE c.listing_id = l.id AND c.snapshot->>'setName' ILIKE '%' || $7 || '%'))""";

  static final String PAGE = "SELECT " + COLUMNS + " " + FILTER + " ORDER BY l.id LIMIT $8 OFFSET $9";

  static final String COUNT = "SELECT count(*) " + FILTER;

  /** The unfiltered total: an index-only count on {@code listings_active_id}. */
  static final String COUNT_ACTIVE = "SELECT count(*) FROM listings WHERE status = 'ACTIVE'";

  /** An unfiltered page: off the {@code listings_active_id} index in id order, cut at $1 LIMIT, $2 OFFSET. */
  static final String PAGE_ACTIVE = "SELECT " + COLUMNS + " FROM listings l WHERE l.status = 'ACTIVE' "
      + "ORDER BY l.id LIMIT $1 OFFSET $2";

  static final String VALUE_FOR_UPDATE = "SELECT card_value FROM listings WHERE id = $1 FOR UPDATE";

  static final String SET_PRICES = """
      UPDATE listings SET spread = $2, win_price = $3, lose_price = $4, updated_at = now() WHERE id = $1""";
}
