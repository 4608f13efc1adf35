package io.slabtrack.tot.settle;

/** SQL of settlement (plays → orders). */
final class SettleSql {
  private SettleSql() {
  }

  static final String PLAY_BY_ID = "SELECT * FROM plays WHERE id = $1";

  static final String PLAY_FOR_UPDATE = "SELECT * FROM plays WHERE id = $1 FOR UPDATE";

  static final String PLAY_BY_LOCK_REF = "SELECT * FROM plays WHERE lock_ref = $1";

  /** Plays still waiting for payment, created before $1 (the stranded-sale sweeper's work list, oldest first). */
  static final String WAITING_FOR_PAYMENT = "SELECT id, lock_ref FROM plays WHERE status = 'COMMITTED' "
      + "AND lock_ref IS NOT NULL AND created_at < $1 ORDER BY created_at LIMIT $2";

  static final String REVEAL = """
      UPDATE plays SET status = 'AWAITING_CONFIRMATION', client_seed = $2, client_seed_default = $3,
        outcome_bytes = $4, outcome = $5, winner_listing_id = $6, outcome_amount = $7, revealed_at = now(),
        updated_at = now()
      WHERE id = $1 AND status = 'COMMITTED'""";

  /**
   * A checkout play learns its PaymentIntent only once the buyer pays (from the session or the intent's own
   * events, whichever comes first); the first one recorded stays.
   */
  static final String RECORD_INTENT = """
      UPDATE plays SET payment_intent_id = $2, updated_at = now()
      WHERE id = $1 AND payment_mode = 'checkout' AND payment_intent_id IS NULL""";

  static final String SET_PLAY_STATUS = "UPDATE plays SET status = $2, updated_at = now() WHERE id = $1";

  static final String INSERT_ORDER = """
      INSERT INTO orders (id, play_id, status, claim_id, card_ids, amount, email, shipping_address, status_token,
                          payment_intent_id)
      VALUES ($1, $2, 'awaiting_confirmation', $3, $4, $5, $6, $7, $8, $9)""";

  static final String ORDER_BY_CLAIM_READ = """
      SELECT o.*, p.game, p.listing_ids, p.winner_listing_id FROM orders o JOIN plays p ON p.id = o.play_id
      WHERE o.claim_id = $1""";

  static final String ORDER_BY_CLAIM = ORDER_BY_CLAIM_READ + " FOR UPDATE OF o";

  static final String ORDER_BY_PI = "SELECT * FROM orders WHERE payment_intent_id = $1 FOR UPDATE";

  static final String ORDER_PAID = """
      UPDATE orders SET status = 'paid', captured_cents = $2, charge_id = $3, updated_at = now() WHERE id = $1""";

  static final String ORDER_STATUS = "UPDATE orders SET status = $2, updated_at = now() WHERE id = $1";

  static final String ORDER_REFUNDED = """
      UPDATE orders SET status = $2, refunded_cents = $3, refund_id = coalesce($4, refund_id), updated_at = now()
      WHERE id = $1""";

  static final String LATEST_REFUND = "UPDATE orders SET refund_id = $2 WHERE id = $1";

  static final String REFUNDS_SUCCEEDED = """
      SELECT coalesce(sum(amount), 0)::bigint FROM order_refunds WHERE order_id = $1 AND status = 'succeeded'""";

  static final String ORDER_DISPUTED = """
      UPDATE orders SET status = 'disputed', dispute_status = $2, dispute_deadline = coalesce($3, dispute_deadline),
        updated_at = now() WHERE id = $1""";

  static final String LOG_DISPUTE = """
      INSERT INTO dispute_log (order_id, dispute_id, event_type, status, reason, amount, due_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";

  static final String PAYMENT_FAILED = """
      UPDATE plays SET payment_failures = payment_failures + 1, last_payment_error = $2, updated_at = now()
      WHERE id = $1""";

  static final String COMPLETE_LISTINGS = """
      UPDATE listings SET status = 'COMPLETED', updated_at = now() WHERE id = ANY($1)""";
}
