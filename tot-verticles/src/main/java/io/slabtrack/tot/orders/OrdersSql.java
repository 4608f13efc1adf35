package io.slabtrack.tot.orders;

/** SQL of the operator's and the buyer's order views. */
final class OrdersSql {
  private OrdersSql() {
  }

  static final String FILTER = " FROM orders o WHERE ($1::text IS NULL OR o.status = $1)";

  static final String PAGE = "SELECT o.*" + FILTER + " ORDER BY o.created_at DESC, o.id LIMIT $2 OFFSET $3";

  static final String COUNT = "SELECT count(*)" + FILTER;

  static final String BY_ID = "SELECT * FROM orders WHERE id = $1";

  static final String FOR_UPDATE = "SELECT * FROM orders WHERE id = $1 FOR UPDATE";

  static final String DISPUTES = "SELECT * FROM dispute_log WHERE order_id = $1 ORDER BY id";

  static final String REFUNDED = """
      UPDATE orders SET status = $2, refunded_cents = greatest(refunded_cents, $3), refund_id = $4, updated_at = now()
      WHERE id = $1 RETURNING *""";

  static final String SHIPPED = """
      UPDATE orders SET status = 'shipped', carrier = $2, tracking_number = $3, shipped_at = now(), updated_at = now()
      WHERE id = $1 AND status = 'paid' RETURNING *""";

  static final String PLAYS = """
      SELECT * FROM plays WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC, id LIMIT $2 OFFSET $3""";

  static final String FAILED_PAYMENTS = """
      SELECT p.*, o.id AS order_id, o.status AS order_status FROM plays p LEFT JOIN orders o ON o.play_id = p.id
      WHERE p.payment_failures > 0 OR p.status = 'FAILED' OR o.status = 'capture_failed'
      ORDER BY p.updated_at DESC LIMIT 200""";

  static final String LOTS_FOR_UPDATE = "SELECT id, card_value FROM listings WHERE kind = 'lot' ORDER BY id FOR UPDATE";

  static final String SET_PRICES = """
      UPDATE listings SET spread = $2, win_price = $3, lose_price = $4, updated_at = now() WHERE id = $1""";
}
