package io.slabtrack.core.claims;

/** SQL of sale claims and releases (the card and channel flips are in CardSql / ChannelSql). */
public final class ClaimSql {
  private ClaimSql() {
  }

  public static final String DECISION = "SELECT reply, channel FROM sale_claims WHERE claim_id = $1";

  /** The cards of a claim, locked in id order, with the claiming channel's row. */
  public static final String CARDS_FOR_CLAIM = """
      SELECT c.id, c.listing_status, c.sold_channel, c.asking_price, cc.status AS channel_status, cc.price_cents
      FROM cards c LEFT JOIN card_channels cc ON cc.card_id = c.id AND cc.channel = $2
      WHERE c.id = ANY($1) ORDER BY c.id FOR UPDATE OF c""";

  /**
   * The claim's first statement: the decision already stored for $3 (claimId), if any ({@code prior = true}, its
   * reply and channel); otherwise the claim's cards locked in id order with the claiming channel's row ($1 ids, $2
   * channel), as {@link #CARDS_FOR_CLAIM}. One round trip instead of two.
   */
  public static final String DECISION_OR_CARDS = """
      WITH prior AS (SELECT reply, channel FROM sale_claims WHERE claim_id = $3),
      locked AS (
        SELECT c.id, c.listing_status, c.sold_channel, c.asking_price, cc.status AS channel_status, cc.price_cents
        FROM cards c LEFT JOIN card_channels cc ON cc.card_id = c.id AND cc.channel = $2
        WHERE c.id = ANY($1) AND NOT EXISTS (SELECT 1 FROM prior) ORDER BY c.id FOR UPDATE OF c)
      SELECT true AS prior, reply, channel, NULL::bigint AS id, NULL::text AS listing_status, NULL::text AS sold_channel,
             NULL::bigint AS asking_price, NULL::text AS channel_status, NULL::bigint AS price_cents FROM prior
      UNION ALL
      SELECT false, NULL, NULL, id, listing_status, sold_channel, asking_price, channel_status, price_cents FROM locked
      ORDER BY prior DESC, id""";

  /**
   * A won claim's flips in one statement (ChannelSql.MARK_SOLD, CARDS_SOLD with each card's share of the amount):
   * $1 ids, $2 channel, $3 order ref, $4 claim id, $5 cents per card (parallel to $1). Answers how many channel rows
   * and cards flipped, and the cards' other active selling channels as parallel arrays (those get disengaged).
   */
  public static final String WIN = """
      WITH sold_rows AS (
        UPDATE card_channels SET status = 'sold', updated_at = now()
        WHERE card_id = ANY($1) AND channel = $2 AND status = 'active' RETURNING card_id),
      sold_cards AS (
        UPDATE cards c SET listing_status = 'sold', sold_channel = $2, sold_order_ref = $3, sold_price_cents = t.cents,
          sold_claim_id = $4, sold_at = now(), version = c.version + 1, updated_at = now()
        FROM unnest($1::bigint[], $5::bigint[]) AS t(id, cents)
        WHERE c.id = t.id AND c.listing_status <> 'sold' RETURNING c.id),
      elsewhere AS (
        SELECT card_id, channel FROM card_channels
        WHERE card_id = ANY($1) AND channel <> $2 AND channel <> 'personal' AND status = 'active')
      SELECT (SELECT count(*) FROM sold_rows) AS rows_sold, (SELECT count(*) FROM sold_cards) AS cards_sold,
             (SELECT coalesce(array_agg(card_id ORDER BY channel, card_id), '{}') FROM elsewhere) AS other_cards,
             (SELECT coalesce(array_agg(channel ORDER BY channel, card_id), '{}') FROM elsewhere) AS other_channels""";

  /**
   * The decision stored and one conflict-log entry per card, in one statement: {@link #STORE}'s $1..$8, then $9 the
   * log kind and $10 its detail.
   */
  public static final String STORE_AND_LOG = """
      WITH stored AS (
        INSERT INTO sale_claims (claim_id, channel, order_ref, lock_ref, card_ids, amount_cents, outcome, reply)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING card_ids, channel)
      INSERT INTO conflict_log (kind, card_id, channel, detail)
      SELECT $9, unnest(stored.card_ids), stored.channel, $10 FROM stored""";

  public static final String STORE = """
      INSERT INTO sale_claims (claim_id, channel, order_ref, lock_ref, card_ids, amount_cents, outcome, reply)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

  /** Sets each card's share of the order amount: $1 ids, $2 cents (parallel arrays). */
  public static final String SOLD_PRICES = """
      UPDATE cards c SET sold_price_cents = t.cents FROM unnest($1::bigint[], $2::bigint[]) AS t(id, cents)
      WHERE c.id = t.id""";

  public static final String CLAIM_FOR_RELEASE = """
      SELECT channel, outcome, reply, released_at FROM sale_claims WHERE claim_id = $1 FOR UPDATE""";

  public static final String CARDS_OF_CLAIM = "SELECT id FROM cards WHERE sold_claim_id = $1 ORDER BY id FOR UPDATE";

  public static final String MARK_RELEASED = """
      UPDATE sale_claims SET released_at = now(), release_reason = $2 WHERE claim_id = $1""";

  /**
   * A reconciler replay of a paid order: the channel's rows become sold whatever their status (the buyer has paid;
   * the card is not sold elsewhere, checked under the card locks first).
   */
  public static final String MARK_SOLD_SETTLED = """
      INSERT INTO card_channels (card_id, channel, status) SELECT unnest($1::bigint[]), $2, 'sold'
      ON CONFLICT (card_id, channel) DO UPDATE SET status = 'sold', updated_at = now()""";

  /** A replayed claim's decision replaces an earlier one for the same claimId (the conflict log keeps both). */
  public static final String STORE_REPLAYED = """
      INSERT INTO sale_claims (claim_id, channel, order_ref, lock_ref, card_ids, amount_cents, outcome, reply)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (claim_id) DO UPDATE SET outcome = EXCLUDED.outcome, reply = EXCLUDED.reply, decided_at = now(),
        released_at = NULL, release_reason = NULL""";

  /**
   * A group of claims' first statement ({@link ClaimDecider#decideAll}): the decisions already stored for any of
   * $2 (claim ids; rows with {@code claim_id} set), then every card of $1 (the union of the claims' cards) locked in
   * id order, one row per card and channel row ({@code channel} null for a card on no channel).
   */
  public static final String DECISIONS_AND_CARDS = """
      WITH prior AS (SELECT claim_id, reply, channel FROM sale_claims WHERE claim_id = ANY($2::text[])),
      locked AS (
        SELECT id, listing_status, sold_channel, asking_price FROM cards WHERE id = ANY($1::bigint[])
        ORDER BY id FOR UPDATE)
      SELECT p.claim_id, p.reply, p.channel, NULL::bigint AS id, NULL::text AS listing_status,
             NULL::text AS sold_channel, NULL::bigint AS asking_price, NULL::text AS status, NULL::bigint AS price_cents,
             NULL::text AS lot_key
      FROM prior p
      UNION ALL
      SELECT NULL, NULL, cc.channel, l.id, l.listing_status, l.sold_channel, l.asking_price, cc.status,
             cc.price_cents, cc.lot_key
      FROM locked l LEFT JOIN card_channels cc ON cc.card_id = l.id""";

  /**
   * {@link #WIN} for every card the claims of a group won, as parallel arrays: $1 ids, $2 channel, $3 order ref,
   * $4 claim id, $5 cents. The same answer: rows and cards flipped (all of them, or the group rolls back), and the
   * cards' other active selling channels.
   */
  public static final String WIN_ALL = """
      WITH w AS (
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[])
          AS t(id, channel, order_ref, claim_id, cents)),
      sold_rows AS (
        UPDATE card_channels cc SET status = 'sold', updated_at = now() FROM w
        WHERE cc.card_id = w.id AND cc.channel = w.channel AND cc.status = 'active' RETURNING cc.card_id),
      sold_cards AS (
        UPDATE cards c SET listing_status = 'sold', sold_channel = w.channel, sold_order_ref = w.order_ref,
          sold_price_cents = w.cents, sold_claim_id = w.claim_id, sold_at = now(), version = c.version + 1,
          updated_at = now()
        FROM w WHERE c.id = w.id AND c.listing_status <> 'sold' RETURNING c.id),
      elsewhere AS (
        SELECT cc.card_id, cc.channel FROM card_channels cc JOIN w ON cc.card_id = w.id
        WHERE cc.channel <> w.channel AND cc.channel <> 'personal' AND cc.status = 'active')
      SELECT (SELECT count(*) FROM sold_rows) AS rows_sold, (SELECT count(*) FROM sold_cards) AS cards_sold,
             (SELECT coalesce(array_agg(card_id ORDER BY channel, card_id), '{}') FROM elsewhere) AS other_cards,
             (SELECT coalesce(array_agg(channel ORDER BY channel, card_id), '{}') FROM elsewhere) AS other_channels""";

  /**
   * {@link #STORE_AND_LOG} for a group's fresh decisions, in order, as parallel arrays: $1 claim id, $2 channel,
   * $3 order ref, $4 lock ref, $5 card ids (each an array literal), $6 amount, $7 outcome, $8 reply, $9 log kind,
   * $10 log detail.
   */
  public static final String STORE_AND_LOG_ALL = """
      WITH d AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[],
                             $8::jsonb[], $9::text[], $10::jsonb[])
          WITH ORDINALITY AS t(claim_id, channel, order_ref, lock_ref, card_ids, amount_cents, outcome, reply, kind,
                               detail, n)),
      stored AS (
        INSERT INTO sale_claims (claim_id, channel, order_ref, lock_ref, card_ids, amount_cents, outcome, reply)
        SELECT claim_id, channel, order_ref, lock_ref, card_ids::bigint[], amount_cents, outcome, reply FROM d
        ORDER BY n RETURNING claim_id)
      INSERT INTO conflict_log (kind, card_id, channel, detail)
      SELECT d.kind, x.card_id, d.channel, d.detail
      FROM d JOIN stored s ON s.claim_id = d.claim_id,
           unnest(d.card_ids::bigint[]) WITH ORDINALITY AS x(card_id, k)
      ORDER BY d.n, x.k""";
}
