package io.slabtrack.storefront.orders;

import io.slabtrack.cluster.limits.BuyerHold;
import io.slabtrack.storefront.shops.Shops;

/** The SQL of checkout and orders. */
public final class OrderSql {
  public static final String COLUMNS = "id, shop_slug, state, email, shipping_address, card_ids, amount_cents, "
      + "application_fee_cents, idempotency_key, lock_ref, claim_id, checkout_session_id, checkout_url, "
      + "payment_intent_id, charge_id, captured_cents, refunded_cents, cancel_reason, last_payment_error, dispute, "
      + "shipment, delivered_at, buyer_token, created_at, updated_at";

  public static final String BY_IDEMPOTENCY_KEY = "SELECT " + COLUMNS + " FROM orders "
      + "WHERE shop_slug = $1 AND idempotency_key = $2";

  /**
   * Checkout's first read in one round trip: the shop ($1) and the checkout's cards in it ($2 ids), one row per card
   * found (the shop's columns repeated), one row with null card columns when none is; no row: no such shop.
   */
  public static final String SHOP_AND_CARDS_FOR_CHECKOUT = "SELECT " + Shops.columns("s") + ", c.slabtrack_card_id, "
      + "c.snapshot, c.status, c.listed, COALESCE(c.custom_price, c.published_price) AS price FROM storefronts s "
      + "LEFT JOIN storefront_cards c ON c.shop_slug = s.slug AND c.slabtrack_card_id = ANY($2) WHERE s.slug = $1";

  /**
   * The order, its items and its buyer hold in one statement (one round trip, atomic without BEGIN/COMMIT): no row
   * when a concurrent double click inserted the same idempotency key first. Items: card ids, prices and snapshots as
   * parallel arrays; the hold's values in $14..$17 ({@link BuyerHold#addTo}).
   */
  public static final String INSERT = "WITH o AS (INSERT INTO orders (id, shop_slug, email, shipping_address, card_ids, "
      + "amount_cents, application_fee_cents, idempotency_key, lock_ref, claim_id, buyer_token) "
      + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (shop_slug, idempotency_key) DO NOTHING "
      + "RETURNING " + COLUMNS + "), "
      + "i AS (INSERT INTO order_items (order_id, card_id, price_cents, snapshot) "
      + "SELECT o.id, c.card_id, c.price, c.snapshot FROM o, unnest($5::bigint[], $12::bigint[], $13::jsonb[]) "
      + "AS c (card_id, price, snapshot)), "
      + BuyerHold.insertStep("h", "o", "id", 14) + " "
      + "SELECT " + COLUMNS + " FROM o";

  public static final String SET_SESSION = "UPDATE orders SET checkout_session_id = $2, checkout_url = $3, updated_at = now() "
      + "WHERE id = $1 RETURNING " + COLUMNS;

  public static final String BY_ID = "SELECT " + COLUMNS + " FROM orders WHERE id = $1";

  public static final String BY_ID_FOR_UPDATE = BY_ID + " FOR UPDATE";

  public static final String BY_PAYMENT_FOR_UPDATE = "SELECT " + COLUMNS + " FROM orders "
      + "WHERE payment_intent_id = $1 OR charge_id = $2 FOR UPDATE";

  public static final String BY_LOCK_REF = "SELECT " + COLUMNS + " FROM orders WHERE lock_ref = $1";

  /** Orders still waiting for payment, created before $1 (the stranded-sale sweeper's work list, oldest first). */
  public static final String WAITING_FOR_PAYMENT = "SELECT id, lock_ref FROM orders WHERE state = 'pending' "
      + "AND lock_ref IS NOT NULL AND created_at < $1 ORDER BY created_at LIMIT $2";

  public static final String ITEMS = "SELECT card_id, price_cents, snapshot FROM order_items WHERE order_id = $1 "
      + "ORDER BY card_id";

  public static final String SET_STATE = "UPDATE orders SET state = $2, updated_at = now() WHERE id = $1";

  public static final String CANCEL = "UPDATE orders SET state = 'cancelled', cancel_reason = $2, updated_at = now() "
      + "WHERE id = $1";

  /** The buyer's cancel whose session-expired webhook came first: the reason is the buyer's. */
  public static final String EXPIRED_BY_BUYER = "UPDATE orders SET cancel_reason = $2, updated_at = now() "
      + "WHERE id = $1 AND state = 'cancelled' AND cancel_reason = 'session_expired'";

  public static final String AUTHORIZED = "UPDATE orders SET state = 'awaiting_confirmation', payment_intent_id = $2, "
      + "updated_at = now() WHERE id = $1";

  public static final String PAYMENT_IDS = "UPDATE orders SET payment_intent_id = COALESCE(payment_intent_id, $2), "
      + "charge_id = COALESCE($3, charge_id), updated_at = now() WHERE id = $1";

  public static final String PAID = "UPDATE orders SET state = 'paid', captured_cents = $2, charge_id = COALESCE($3, charge_id), "
      + "updated_at = now() WHERE id = $1";

  public static final String PAYMENT_FAILED = "UPDATE orders SET last_payment_error = $2, updated_at = now() WHERE id = $1";

  public static final String REFUNDED = "UPDATE orders SET refunded_cents = GREATEST(refunded_cents, $2), state = $3, "
      + "updated_at = now() WHERE id = $1";

  public static final String INSERT_REFUND = "INSERT INTO order_refunds (refund_id, order_id, amount_cents) "
      + "VALUES ($1, $2, $3) ON CONFLICT (refund_id) DO NOTHING";

  public static final String REFUND_SUM = "SELECT COALESCE(sum(amount_cents), 0) FROM order_refunds WHERE order_id = $1";

  public static final String DISPUTE = "UPDATE orders SET dispute = $2, state = $3, updated_at = now() WHERE id = $1";

  public static final String UNSHIP = "UPDATE orders SET state = 'paid', shipment = NULL, updated_at = now() WHERE id = $1";
  public static final String SHIP = "UPDATE orders SET shipment = $2, state = 'shipped', updated_at = now() WHERE id = $1";

  public static final String DELIVER = "UPDATE orders SET delivered_at = $2, state = 'delivered', updated_at = now() "
      + "WHERE id = $1";

  public static final String CARDS_SOLD = "UPDATE storefront_cards SET status = 'sold', updated_at = now() "
      + "WHERE slabtrack_card_id = ANY($1)";

  public static final String LIST = "SELECT " + COLUMNS + " FROM orders WHERE shop_slug = $1 AND ($2::text IS NULL OR state = $2) "
      + "ORDER BY created_at DESC, id LIMIT $3 OFFSET $4";

  /** A buyer hold (BuyerLimits) counts while its order is unpaid and open. */
  public static final String STILL_PENDING = "EXISTS (SELECT 1 FROM orders o WHERE o.id = h.ref AND o.state = 'pending')";

  private OrderSql() {
  }
}
