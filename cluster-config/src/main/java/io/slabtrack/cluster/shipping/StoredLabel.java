package io.slabtrack.cluster.shipping;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** One shipping_labels row (the same table in each satellite's database). */
public record StoredLabel(String id, String orderId, String state, String transactionId, String carrier, String service,
                          String serviceName, String trackingNumber, String trackingUrl, String labelUrl,
                          Long costCents, Long insuranceCents, JsonObject shipFrom, String createdAt) {

  static StoredLabel of(Row r) {
    return new StoredLabel(r.getString("id"), r.getString("order_id"), r.getString("state"),
        r.getString("transaction_id"), r.getString("carrier"), r.getString("service"), r.getString("service_name"),
        r.getString("tracking_number"), r.getString("tracking_url"), r.getString("label_url"),
        r.getLong("cost_cents"), r.getLong("insurance_cents"), (JsonObject) r.getValue("ship_from"),
        r.getOffsetDateTime("created_at").toInstant().toString());
  }

  public boolean bought() {
    return "bought".equals(state);
  }

  /** What the owner or operator sees; {@code pdfPath} is where the label file is served. */
  public JsonObject toJson(String pdfPath) {
    return new JsonObject().put("labelId", id).put("orderId", orderId).put("state", state).put("carrier", carrier)
        .put("service", service).put("serviceName", serviceName).put("trackingNumber", trackingNumber)
        .put("trackingUrl", trackingUrl).put("costCents", costCents).put("insuranceCents", insuranceCents)
        .put("shipFrom", shipFrom).put("labelPdf", pdfPath).put("createdAt", createdAt);
  }

  /** What the order's shipment shows. */
  public JsonObject shipment() {
    return new JsonObject().put("carrier", carrier).put("service", service).put("serviceName", serviceName)
        .put("trackingNumber", trackingNumber).put("trackingUrl", trackingUrl).put("label", true);
  }
}
