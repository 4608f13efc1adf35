package io.slabtrack.core.ledger;

/** SQL of the order ledger (channel_orders and its event history). */
public final class LedgerSql {
  private LedgerSql() {
  }

  public static final String INSERT_EVENT = """
      INSERT INTO channel_order_events (event_id, channel, order_ref, state, body, occurred_at)
      VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING""";

  /** The newest event (by occurredAt) sets the state; amounts a later event leaves out are kept. */
  public static final String UPSERT_ORDER = """
      INSERT INTO channel_orders (channel, order_ref, state, amount_cents, captured_cents, refunded_cents, card_ids,
                                  stripe_id, last_event_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (channel, order_ref) DO UPDATE SET
        state = CASE WHEN excluded.last_event_at >= channel_orders.last_event_at THEN excluded.state ELSE channel_orders.state END,
        amount_cents = excluded.amount_cents,
        captured_cents = coalesce(excluded.captured_cents, channel_orders.captured_cents),
        refunded_cents = coalesce(excluded.refunded_cents, channel_orders.refunded_cents),
        card_ids = CASE WHEN cardinality(excluded.card_ids) > 0 THEN excluded.card_ids ELSE channel_orders.card_ids END,
        stripe_id = coalesce(excluded.stripe_id, channel_orders.stripe_id),
        last_event_at = greatest(excluded.last_event_at, channel_orders.last_event_at),
        updated_at = now()
      RETURNING state""";

  public static final String LIST = """
      SELECT channel, order_ref, state, amount_cents, captured_cents, refunded_cents, card_ids, stripe_id, last_event_at
      FROM channel_orders WHERE ($1::text IS NULL OR channel = $1)
        AND ($3::text IS NULL OR card_ids && ARRAY(SELECT id FROM cards WHERE owner_id = $3))
      ORDER BY last_event_at DESC LIMIT $2""";
}
