package io.slabtrack.storefront.cards;

/** The SQL of the storefront cards feature. */
final class CardSql {
  static final String COLUMNS = "slabtrack_card_id, shop_slug, snapshot, published_price, custom_price, featured, "
      + "status, quantity, listed, version, disengage_reason, created_at, updated_at";

  static final String CLAIM_EVENT = "INSERT INTO storefront_card_events (event_id, card_id, outcome) "
      + "VALUES ($1, $2, 'received') ON CONFLICT (event_id) DO NOTHING";

  static final String EVENT_OUTCOME = "UPDATE storefront_card_events SET outcome = $2 WHERE event_id = $1";

  static final String SHOP_EXISTS = "SELECT 1 FROM storefronts WHERE slug = $1";

  static final String VERSION_FOR_UPDATE = "SELECT version FROM storefront_cards WHERE slabtrack_card_id = $1 "
      + "FOR UPDATE";

  /** publish / update: the listing is up; a card we sold comes back active only when core publishes it again. */
  static final String UPSERT_LISTED = "INSERT INTO storefront_cards "
      + "(slabtrack_card_id, shop_slug, snapshot, published_price, version, listed) "
      + "VALUES ($1, $2, $3, $4, $5, true) ON CONFLICT (slabtrack_card_id) DO UPDATE SET "
      + "shop_slug = EXCLUDED.shop_slug, snapshot = EXCLUDED.snapshot, published_price = EXCLUDED.published_price, "
      + "version = EXCLUDED.version, listed = true, disengage_reason = NULL, updated_at = now(), "
      + "status = CASE WHEN storefront_cards.status = 'sold' AND $6 THEN 'active' ELSE storefront_cards.status END "
      + "WHERE storefront_cards.version < EXCLUDED.version";

  /** disengage: the listing comes down but the row stays, so the version keeps older messages out. */
  static final String UPSERT_DISENGAGED = "INSERT INTO storefront_cards "
      + "(slabtrack_card_id, shop_slug, snapshot, published_price, version, listed, disengage_reason) "
      + "VALUES ($1, $2, $3, $4, $5, false, $6) ON CONFLICT (slabtrack_card_id) DO UPDATE SET "
      + "version = EXCLUDED.version, listed = false, disengage_reason = EXCLUDED.disengage_reason, "
      + "updated_at = now() WHERE storefront_cards.version < EXCLUDED.version";

  /** {@link #CLAIM_EVENT} for a batch ($1 event ids, $2 card ids): the event ids returned are the new ones. */
  static final String CLAIM_EVENTS = "INSERT INTO storefront_card_events (event_id, card_id, outcome) "
      + "SELECT e, c, 'received' FROM unnest($1::uuid[], $2::bigint[]) AS t(e, c) "
      + "ON CONFLICT (event_id) DO NOTHING RETURNING event_id";

  /** The slugs of $1 that name no shop. */
  static final String UNKNOWN_SHOPS = "SELECT s FROM unnest($1::text[]) AS s "
      + "WHERE NOT EXISTS (SELECT 1 FROM storefronts WHERE slug = s)";

  /** {@link #VERSION_FOR_UPDATE} for a batch, locked in card order (two batches sharing cards never deadlock). */
  static final String VERSIONS_FOR_UPDATE = "SELECT slabtrack_card_id, version FROM storefront_cards "
      + "WHERE slabtrack_card_id = ANY($1::bigint[]) ORDER BY slabtrack_card_id FOR UPDATE";

  /**
   * {@link #UPSERT_LISTED} and {@link #UPSERT_DISENGAGED} for a batch of cards already there (locked): one row each,
   * still only where the stored version is older. $1 ids, $2 shops, $3 snapshots, $4 prices, $5 versions, $6 listed
   * (false: a disengage, which keeps shop, snapshot and price), $7 publish, $8 disengage reasons.
   */
  static final String UPDATE_ALL = "UPDATE storefront_cards s SET "
      + "shop_slug = CASE WHEN t.listed THEN t.shop ELSE s.shop_slug END, "
      + "snapshot = CASE WHEN t.listed THEN t.snapshot ELSE s.snapshot END, "
      + "published_price = CASE WHEN t.listed THEN t.price ELSE s.published_price END, "
      + "version = t.version, listed = t.listed, disengage_reason = CASE WHEN t.listed THEN NULL ELSE t.reason END, "
      + "updated_at = now(), "
      + "status = CASE WHEN t.listed AND s.status = 'sold' AND t.publish THEN 'active' ELSE s.status END "
      + "FROM unnest($1::bigint[], $2::text[], $3::jsonb[], $4::bigint[], $5::bigint[], $6::boolean[], $7::boolean[], "
      + "$8::text[]) AS t(id, shop, snapshot, price, version, listed, publish, reason) "
      + "WHERE s.slabtrack_card_id = t.id AND s.version < t.version RETURNING s.slabtrack_card_id";

  /**
   * The same for cards not there yet: inserted; one inserted meanwhile (a first publish racing over HTTP) is not
   * returned, and the caller lets the single upsert decide it.
   */
  static final String INSERT_ALL = "INSERT INTO storefront_cards "
      + "(slabtrack_card_id, shop_slug, snapshot, published_price, version, listed, disengage_reason) "
      + "SELECT id, shop, snapshot, price, version, listed, CASE WHEN listed THEN NULL ELSE reason END "
      + "FROM unnest($1::bigint[], $2::text[], $3::jsonb[], $4::bigint[], $5::bigint[], $6::boolean[], $7::text[]) "
      + "AS t(id, shop, snapshot, price, version, listed, reason) "
      + "ON CONFLICT (slabtrack_card_id) DO NOTHING RETURNING slabtrack_card_id";

  /** {@link #EVENT_OUTCOME} for a batch ($1 event ids, $2 outcomes). */
  static final String EVENT_OUTCOMES = "UPDATE storefront_card_events e SET outcome = t.o "
      + "FROM unnest($1::uuid[], $2::text[]) AS t(id, o) WHERE e.event_id = t.id";

  static final String ONE_IN_SHOP = "SELECT " + COLUMNS + " FROM storefront_cards "
      + "WHERE shop_slug = $1 AND slabtrack_card_id = $2";

  static final String MANY_IN_SHOP = "SELECT " + COLUMNS + " FROM storefront_cards "
      + "WHERE shop_slug = $1 AND slabtrack_card_id = ANY($2)";

  /**
   * The distinct graders and years of a shop's buyable cards, for its filter form, graders then years, each in order:
   * a skip scan over its partial index (V20), each next distinct value found by one probe past the last, so a miss
   * costs the number of distinct values, not of cards.
   */
  static final String FACETS = "WITH RECURSIVE " + skipScan("graders", "facet_grader") + ", "
      + skipScan("years", "facet_year")
      + " SELECT 'grader' AS kind, v AS value FROM graders WHERE v IS NOT NULL"
      + " UNION ALL SELECT 'year', v FROM years WHERE v IS NOT NULL ORDER BY 1, 2";

  /**
   * A recursive CTE {@code name(v)} of the distinct non-null values of {@code column} among the shop's ($1) buyable
   * cards, in order: the first off the column's partial index, then each next one probed past the last.
   */
  private static String skipScan(String name, String column) {
    String buyable = " FROM storefront_cards WHERE shop_slug = $1 AND listed AND status = 'active' AND " + column
        + " IS NOT NULL";
    return name + " AS ((SELECT " + column + " AS v" + buyable + " ORDER BY " + column + " LIMIT 1)"
        + " UNION ALL SELECT (SELECT " + column + buyable + " AND " + column + " > p.v ORDER BY " + column
        + " LIMIT 1) FROM " + name + " p WHERE p.v IS NOT NULL)";
  }

  static final String OWNER_UPDATE = "UPDATE storefront_cards SET custom_price = $3, featured = $4, status = $5, "
      + "updated_at = now() WHERE shop_slug = $1 AND slabtrack_card_id = $2 RETURNING " + COLUMNS;

  /** The owner's view of a shop: every listed card, hidden and sold ones too, the ones for sale first. */
  static final String OWNER_LIST = "SELECT " + COLUMNS + " FROM storefront_cards WHERE shop_slug = $1 AND listed "
      + "ORDER BY status = 'sold', featured DESC, updated_at DESC, slabtrack_card_id DESC LIMIT 500";

  /**
   * The buyer's view of a shop; filters are appended by {@link CardQuery}. Unfiltered, the page is read off the
   * {@code storefront_cards_browse_page} index and cut at its LIMIT; the total is {@link #BUYABLE_COUNT}.
   */
  static final String BROWSE = "SELECT " + COLUMNS + " FROM storefront_cards "
      + "WHERE shop_slug = $1 AND listed AND status = 'active'";

  /** The same with the number of matches, for a filtered list (the filters must read every candidate anyway). */
  static final String BROWSE_COUNTED = "SELECT " + COLUMNS + ", count(*) OVER () AS total FROM storefront_cards "
      + "WHERE shop_slug = $1 AND listed AND status = 'active'";

  /** A shop's buyable cards, the total of an unfiltered page (an index-only count, no snapshot read). */
  static final String BUYABLE_COUNT = "SELECT count(*) FROM storefront_cards "
      + "WHERE shop_slug = $1 AND listed AND status = 'active'";

  static final String BROWSE_ORDER = " ORDER BY featured DESC, updated_at DESC, slabtrack_card_id DESC";

  static final String EFFECTIVE_PRICE = "COALESCE(custom_price, published_price)";

  private CardSql() {
  }
}
