package io.slabtrack.core.channels;

/** SQL of card_channels: engagement, disengagement, sale and relist. */
public final class ChannelSql {
  private ChannelSql() {
  }

  /** Locks the cards in id order (concurrent engagements and claims queue instead of deadlocking). */
  public static final String LOCK_CARDS = """
      SELECT id, listing_status, is_keeper, asking_price FROM cards WHERE id = ANY($1) ORDER BY id FOR UPDATE""";

  public static final String ROWS_OF = """
      SELECT card_id, channel, status, shop, price_cents, lot_key, external_ref FROM card_channels
      WHERE card_id = ANY($1)""";

  /** Engage: $1 card ids, $2 channels, $3 shops, $4 prices, $5 lot keys (parallel arrays). */
  public static final String UPSERT_ACTIVE = """
      INSERT INTO card_channels (card_id, channel, status, shop, price_cents, lot_key, updated_at)
      SELECT t.card_id, t.channel, 'active', t.shop, t.price, t.lot_key, now()
      FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[]) AS t(card_id, channel, shop, price, lot_key)
      ON CONFLICT (card_id, channel) DO UPDATE SET status = 'active', shop = excluded.shop,
        price_cents = excluded.price_cents, lot_key = excluded.lot_key, updated_at = now(), off_reason = NULL,
        external_ref = CASE WHEN card_channels.status = 'active' THEN card_channels.external_ref END""";

  /** Engaging anything replaces personal. */
  public static final String PERSONAL_OFF = """
      UPDATE card_channels SET status = 'inactive', updated_at = now()
      WHERE card_id = ANY($1) AND channel = 'personal' AND status = 'active'""";

  /** Back to personal: unsold cards active nowhere else. */
  public static final String PERSONAL_BACK = """
      INSERT INTO card_channels (card_id, channel, status)
      SELECT c.id, 'personal', 'active' FROM cards c
      WHERE c.id = ANY($1) AND c.listing_status <> 'sold'
        AND NOT EXISTS (SELECT 1 FROM card_channels o WHERE o.card_id = c.id AND o.status = 'active'
                        AND o.channel <> 'personal')
      ON CONFLICT (card_id, channel) DO UPDATE SET status = 'active', updated_at = now()""";

  /** $1 card ids, $2 channel, $3 why (kept as off_reason): active rows go inactive; returns what was switched off. */
  public static final String DEACTIVATE = """
      UPDATE card_channels SET status = 'inactive', off_reason = $3, updated_at = now()
      WHERE card_id = ANY($1) AND channel = $2 AND status = 'active'
      RETURNING card_id, channel, lot_key""";

  /**
   * {@link #DEACTIVATE} of sold cards' rows ($1 ids, $2 channel, $3 why) with {@code CardSql.TOUCH}'s version bump in
   * the same statement: a sold card stays sold and gets no personal row, so TOUCH's status rule and PERSONAL_BACK have
   * nothing to do for it. Returns the cards switched off.
   */
  public static final String DEACTIVATE_SOLD = """
      WITH off AS (
        UPDATE card_channels SET status = 'inactive', off_reason = $3, updated_at = now()
        WHERE card_id = ANY($1) AND channel = $2 AND status = 'active'
        RETURNING card_id)
      UPDATE cards c SET version = c.version + 1, updated_at = now()
      FROM off WHERE c.id = off.card_id AND c.listing_status = 'sold' RETURNING c.id AS card_id""";

  /** The active thisorthat cards sharing a lot with any of $1. */
  public static final String LOT_MATES = """
      SELECT m.card_id, m.lot_key FROM card_channels m
      WHERE m.channel = 'thisorthat' AND m.status = 'active' AND m.lot_key IN (
        SELECT lot_key FROM card_channels WHERE card_id = ANY($1) AND channel = 'thisorthat' AND lot_key IS NOT NULL)
      ORDER BY m.card_id""";

  /** The cards of a lot in publish order, with their thisorthat rows. */
  public static final String LOT_CARDS = """
      SELECT card_id FROM card_channels WHERE channel = 'thisorthat' AND lot_key = $1 ORDER BY card_id""";

  /** Sale: the winning channel's rows become sold (the conditional arbiter: all must be active). */
  public static final String MARK_SOLD = """
      UPDATE card_channels SET status = 'sold', updated_at = now()
      WHERE card_id = ANY($1) AND channel = $2 AND status = 'active' RETURNING card_id""";

  /** Sale: every other active row goes inactive; returned so each gets a disengage. */
  public static final String OTHERS_OFF = """
      UPDATE card_channels SET status = 'inactive', updated_at = now()
      WHERE card_id = ANY($1) AND channel <> $2 AND status = 'active' RETURNING card_id, channel, lot_key""";

  /** Sale: the cards leave inventory, only if none is already sold (the second arbiter). */
  public static final String CARDS_SOLD = """
      UPDATE cards SET listing_status = 'sold', sold_channel = $2, sold_order_ref = $3, sold_price_cents = $4,
        sold_claim_id = $5, sold_at = now(), version = version + 1, updated_at = now()
      WHERE id = ANY($1) AND listing_status <> 'sold' RETURNING id""";

  /** Relist or claim release: sold → personal (the sale's row becomes inactive; not relisted anywhere). */
  public static final String UNSELL_ROWS = """
      UPDATE card_channels SET status = 'inactive', updated_at = now() WHERE card_id = ANY($1) AND status = 'sold'""";

  public static final String UNSELL_CARDS = """
      UPDATE cards SET listing_status = 'personal', sold_channel = NULL, sold_order_ref = NULL, sold_price_cents = NULL,
        sold_claim_id = NULL, sold_at = NULL, version = version + 1, updated_at = now()
      WHERE id = ANY($1) AND listing_status = 'sold' RETURNING id""";
}
