package io.slabtrack.tot.orders;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.List;

/** Orders and plays as the operator (everything) and the buyer (status only) see them. */
final class OrderJson {
  private OrderJson() {
  }

  static JsonObject operator(Row r) {
    return buyer(r).put("email", r.getString("email")).put("shippingAddress", r.getValue("shipping_address"))
        .put("paymentIntentId", r.getString("payment_intent_id")).put("chargeId", r.getString("charge_id"))
        .put("refundId", r.getString("refund_id")).put("claimId", r.getString("claim_id"));
  }

  static JsonObject buyer(Row r) {
    return new JsonObject().put("id", r.getString("id")).put("playId", r.getString("play_id"))
        .put("status", r.getString("status")).put("cardIds", new JsonArray(List.of(r.getArrayOfLongs("card_ids"))))
        .put("amount", r.getLong("amount")).put("capturedCents", r.getLong("captured_cents"))
        .put("refundedCents", r.getLong("refunded_cents")).put("carrier", r.getString("carrier"))
        .put("trackingNumber", r.getString("tracking_number"))
        .put("disputeStatus", r.getString("dispute_status"))
        .put("disputeDeadline", time(r.getOffsetDateTime("dispute_deadline")))
        .put("createdAt", time(r.getOffsetDateTime("created_at")))
        .put("updatedAt", time(r.getOffsetDateTime("updated_at")));
  }

  static JsonObject play(Row r) {
    return new JsonObject().put("playId", r.getString("id")).put("game", r.getString("game"))
        .put("status", r.getString("status")).put("amount", r.getLong("amount"))
        .put("outcome", r.getString("outcome")).put("outcomeAmount", r.getLong("outcome_amount"))
        .put("listingIds", new JsonArray(List.of(r.getArrayOfLongs("listing_ids"))))
        .put("email", r.getString("email")).put("paymentIntentId", r.getString("payment_intent_id"))
        .put("paymentFailures", r.getInteger("payment_failures"))
        .put("lastPaymentError", r.getString("last_payment_error"))
        .put("createdAt", time(r.getOffsetDateTime("created_at")));
  }

  static JsonObject dispute(Row r) {
    return new JsonObject().put("disputeId", r.getString("dispute_id")).put("event", r.getString("event_type"))
        .put("status", r.getString("status")).put("reason", r.getString("reason")).put("amount", r.getLong("amount"))
        .put("dueBy", time(r.getOffsetDateTime("due_by")))
        .put("recordedAt", time(r.getOffsetDateTime("recorded_at")));
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
