package io.slabtrack.storefront.shipping;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** One shipping_labels row. */
record ShippingLabel(String id, String orderId, String state, String transactionId, String carrier, String service,
                     String serviceName, String trackingNumber, String trackingUrl, String labelUrl, Long costCents,
                     Long insuranceCents, JsonObject shipFrom, String createdAt) {

  static ShippingLabel of(Row r) {
    return new ShippingLabel(r.getString("id"), r.getString("order_id"), r.getString("state"),
        r.getString("transaction_id"), r.getString("carrier"), r.getString("service"), r.getString("service_name"),
        r.getString("tracking_number"), r.getString("tracking_url"), r.getString("label_url"),
        r.getLong("cost_cents"), r.getLong("insurance_cents"), (JsonObject) r.getValue("ship_from"),
        r.getOffsetDateTime("created_at").toInstant().toString());
  }

  /** What the owner sees; the label file itself is at {@code …/orders/{id}/label} (GET). */
  JsonObject toJson(String slug) {
    return new JsonObject().put("labelId", id).put("orderId", orderId).put("state", state).put("carrier", carrier)
        .put("service", service).put("serviceName", serviceName).put("trackingNumber", trackingNumber)
        .put("trackingUrl", trackingUrl).put("costCents", costCents).put("insuranceCents", insuranceCents)
        .put("shipFrom", shipFrom).put("labelPdf", "/api/storefronts/" + slug + "/orders/" + orderId + "/label")
        .put("createdAt", createdAt);
  }
}
