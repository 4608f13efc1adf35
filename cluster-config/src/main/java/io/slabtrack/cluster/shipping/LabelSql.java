package io.slabtrack.cluster.shipping;

/** SQL of shipping_labels and label_batches (the same tables in each satellite: Storefront V16, ToT V18). */
final class LabelSql {
  private LabelSql() {
  }

  static final String COLUMNS = "id, order_id, state, transaction_id, carrier, service, service_name, tracking_number, "
      + "tracking_url, label_url, cost_cents, insurance_cents, ship_from, created_at, updated_at";
  static final String LIVE = "SELECT " + COLUMNS + " FROM shipping_labels WHERE order_id = $1 "
      + "AND state IN ('buying', 'bought')";
  /** Claims the order's purchase; no row back = another request holds it. */
  static final String CLAIM = "INSERT INTO shipping_labels (id, order_id, state) VALUES ($1, $2, 'buying') "
      + "ON CONFLICT DO NOTHING RETURNING id";
  /** A purchase whose node died mid-way is taken over after a while (same row id = same idempotency key). */
  static final String TAKE_OVER = "UPDATE shipping_labels SET updated_at = now() WHERE order_id = $1 "
      + "AND state = 'buying' AND updated_at < now() - interval '2 minutes' RETURNING id";
  static final String BOUGHT = "UPDATE shipping_labels SET state = 'bought', transaction_id = $2, carrier = $3, "
      + "service = $4, service_name = $5, tracking_number = $6, tracking_url = $7, label_url = $8, cost_cents = $9, "
      + "insurance_cents = $10, ship_from = $11, updated_at = now() WHERE id = $1 AND state = 'buying'";
  static final String GIVE_UP = "DELETE FROM shipping_labels WHERE id = $1 AND state = 'buying'";
  static final String REFUNDED = "UPDATE shipping_labels SET state = 'refunded', updated_at = now() "
      + "WHERE id = $1 AND state = 'bought'";
  static final String BY_TRACKING = "SELECT " + COLUMNS + " FROM shipping_labels WHERE tracking_number = $1 "
      + "AND state = 'bought'";
  static final String BY_ID = "SELECT " + COLUMNS + " FROM shipping_labels WHERE id = $1";
  static final String INSERT_BATCH = "INSERT INTO label_batches (id, scope, pdf, pages, printed, failures, "
      + "created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)";
  static final String BATCH = "SELECT pdf FROM label_batches WHERE id = $1 AND scope = $2";
}
