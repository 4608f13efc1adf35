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
}
