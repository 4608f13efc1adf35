package io.slabtrack.cluster.stripe;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Stripe delivers each event at least once, sometimes twice at the same moment. Recording the event id in the
 * same transaction as the state change it causes makes the change happen once: a replay finds the id taken
 * and is acknowledged without touching anything. A concurrent duplicate waits on the primary key until the
 * first transaction ends; if that one rolled back, the duplicate becomes the first time.
 */
public final class StripeEventInbox {
  static final String RECORD = """
      INSERT INTO stripe_events (event_id, type, payload) VALUES ($1, $2, $3)
      ON CONFLICT (event_id) DO NOTHING""";

  private StripeEventInbox() {
  }

  /** @return true the first time this event id is seen (apply it in {@code tx}), false for a replay (do nothing) */
  public static Future<Boolean> firstTime(SqlConnection tx, JsonObject event) {
    return tx.preparedQuery(RECORD)
        .execute(Tuple.of(event.getString("id"), event.getString("type"), event))
        .map(rows -> rows.rowCount() == 1);
  }
}
