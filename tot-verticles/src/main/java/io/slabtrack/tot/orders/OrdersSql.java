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

  static final String REFUND_BY_KEY = "SELECT * FROM order_refunds WHERE request_key = $1";

  static final String REFUNDS_BY_STATUS = """
      SELECT coalesce(sum(amount) FILTER (WHERE status = 'pending'), 0)::bigint AS pending,
             coalesce(sum(amount) FILTER (WHERE status = 'succeeded'), 0)::bigint AS succeeded
      FROM order_refunds WHERE order_id = $1""";

  static final String INSERT_PENDING_REFUND = """
      INSERT INTO order_refunds (request_key, order_id, amount, status) VALUES ($1, $2, $3, 'pending')""";

  static final String DELETE_PENDING_REFUND = "DELETE FROM order_refunds WHERE request_key = $1 AND status = 'pending'";

  /** An upsert: a refusal of a concurrent duplicate may have deleted the pending row meanwhile. */
  static final String REFUND_SUCCEEDED = """
      INSERT INTO order_refunds (request_key, order_id, amount, status, refund_id) VALUES ($1, $2, $3, 'succeeded', $4)
      ON CONFLICT (request_key) DO UPDATE SET status = 'succeeded', amount = excluded.amount,
        refund_id = excluded.refund_id, updated_at = now()""";

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

  static final String LINK_BY_PLAY = "SELECT id, status_token FROM orders WHERE play_id = $1";
}
