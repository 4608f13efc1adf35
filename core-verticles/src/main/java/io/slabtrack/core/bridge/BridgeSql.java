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

  /**
   * Every card × channel cell with its colour (DOMAIN.md's command bridge). A cell is a card_channels row, or a drift
   * finding on a channel where core has no row (a listing core doesn't know). Drift comes from the latest finished
   * reconciler run that covered the channel (a run of one channel doesn't hide another channel's findings), minus what
   * that run healed. Colours: red = a conflict, sold on one channel and active (in core, or still listed by the
   * satellite) on another, or a double sale; yellow = any other open drift; green = active on a selling channel with
   * no drift, i.e. the satellite agrees (or the channel has no satellite to disagree); no colour otherwise.
   */
  static final String CELLS = """
      WITH runs AS (
        SELECT DISTINCT ON (ch.slug) ch.slug AS channel, r.id, r.mode, r.finished_at
        FROM channels ch JOIN reconcile_runs r ON r.status = 'done' AND (r.channel IS NULL OR r.channel = ch.slug)
        ORDER BY ch.slug, r.finished_at DESC),
      drift AS (
        SELECT DISTINCT ON (d.card_id, d.channel) d.card_id, d.channel, d.kind
        FROM reconcile_drift d JOIN runs ON runs.id = d.run_id AND runs.channel = d.channel
        WHERE d.card_id IS NOT NULL AND d.heal IS DISTINCT FROM 'healed'
        ORDER BY d.card_id, d.channel, d.seq),
      cells AS (
        SELECT c.id AS card_id, coalesce(cc.channel, dr.channel) AS channel, cc.status, dr.kind AS drift,
          CASE
            WHEN dr.kind IN ('sold_but_listed', 'double_sale') THEN 'red'
            WHEN cc.status = 'active' AND cc.channel <> 'personal' AND c.listing_status = 'sold' THEN 'red'
            WHEN dr.kind IS NOT NULL THEN 'yellow'
            WHEN cc.status = 'active' AND cc.channel <> 'personal' THEN 'green'
          END AS colour
        FROM card_channels cc FULL JOIN drift dr ON dr.card_id = cc.card_id AND dr.channel = cc.channel
        JOIN cards c ON c.id = coalesce(cc.card_id, dr.card_id))
      """;

  /**
   * A page of cards (id order, after $1) with their cells. $2 channel, $3 colour: a card is on the page when one of
   * its cells matches both; a channel alone keeps the bridge's first meaning, cards active there. $4 limit.
   */
  public static final String GRID = CELLS + """
      , page AS (
        SELECT c.id FROM cards c
        WHERE c.id > $1 AND (($2::text IS NULL AND $3::text IS NULL) OR c.id IN (
          SELECT x.card_id FROM cells x WHERE ($2::text IS NULL OR x.channel = $2)
            AND ($3::text IS NULL OR x.colour = $3) AND ($3::text IS NOT NULL OR x.status = 'active')))
        ORDER BY c.id LIMIT $4)
      SELECT c.id, c.player, c.listing_status, c.version,
             coalesce(jsonb_object_agg(x.channel, x.status) FILTER (WHERE x.status IS NOT NULL), '{}'::jsonb) AS states,
             coalesce(jsonb_agg(jsonb_build_object('channel', x.channel, 'status', x.status, 'colour', x.colour,
                        'drift', x.drift) ORDER BY x.channel) FILTER (WHERE x.channel IS NOT NULL), '[]'::jsonb) AS cells
      FROM page p JOIN cards c ON c.id = p.id LEFT JOIN cells x ON x.card_id = c.id
      GROUP BY c.id ORDER BY c.id""";

  /** Per channel: rows by status and cells by colour, over the whole inventory. */
  public static final String TOTALS = CELLS + """
      SELECT channel,
             count(*) FILTER (WHERE status = 'active') AS active, count(*) FILTER (WHERE status = 'inactive') AS inactive,
             count(*) FILTER (WHERE status = 'sold') AS sold, count(*) FILTER (WHERE colour = 'green') AS green,
             count(*) FILTER (WHERE colour = 'yellow') AS yellow, count(*) FILTER (WHERE colour = 'red') AS red
      FROM cells GROUP BY channel ORDER BY channel""";

  /** The drift indicator: per channel, the run the colours come from and its open findings by kind. */
  public static final String DRIFT = CELLS + """
      SELECT r.channel, r.id AS run_id, r.mode, r.finished_at,
             coalesce((SELECT jsonb_object_agg(k.kind, k.n) FROM (SELECT d.kind, count(*) AS n FROM drift d
                        WHERE d.channel = r.channel GROUP BY d.kind) k), '{}'::jsonb) AS open
      FROM runs r ORDER BY r.channel""";
}
