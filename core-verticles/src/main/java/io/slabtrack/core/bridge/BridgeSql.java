package io.slabtrack.core.bridge;

/** SQL of the command bridge: the card × channel grid, totals and the conflict log. */
public final class BridgeSql {
  private BridgeSql() {
  }

  public static final String LOG_INSERT = """
      INSERT INTO conflict_log (kind, card_id, channel, detail) VALUES ($1, $2, $3, $4)""";

  /** Newest first, keyset by id; $1 cursor id (or null), $2 card id filter (or null), $3 limit. */
  public static final String LOG_PAGE = """
      SELECT id, kind, card_id, channel, detail, created_at FROM conflict_log
      WHERE ($1::bigint IS NULL OR id < $1) AND ($2::bigint IS NULL OR card_id = $2)
      ORDER BY id DESC LIMIT $3""";

  /** A page of cards (id order, after $1) with their channel rows. */
  public static final String GRID = """
      SELECT c.id, c.player, c.listing_status, c.version,
             coalesce(jsonb_object_agg(cc.channel, cc.status) FILTER (WHERE cc.channel IS NOT NULL), '{}'::jsonb) AS states
      FROM cards c LEFT JOIN card_channels cc ON cc.card_id = c.id
      WHERE c.id > $1 AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM card_channels f WHERE f.card_id = c.id
                                                        AND f.channel = $2 AND f.status = 'active'))
      GROUP BY c.id ORDER BY c.id LIMIT $3""";

  public static final String TOTALS = """
      SELECT channel, status, count(*) AS n FROM card_channels GROUP BY channel, status""";
}
