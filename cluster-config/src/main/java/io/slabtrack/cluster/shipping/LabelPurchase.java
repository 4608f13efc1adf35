package io.slabtrack.cluster.shipping;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One label by the rules, for either app: the buyer's address checked at Shippo (422 naming the field, nothing
 * bought), a shipment with the parcel and any insurance, the rate the rules pick, and the transaction that buys it.
 */
public final class LabelPurchase {
  private final ShippoClient shippo;
  private final ShippingRules rules;

  public LabelPurchase(ShippoClient shippo) {
    this.shippo = shippo;
    this.rules = new ShippingRules(shippo.settings());
  }

  public ShippoClient shippo() {
    return shippo;
  }

  public ShippingRules rules() {
    return rules;
  }

  /**
   * @param shopShipFrom the shop's own ship-from address, or null (ToT, or a shop without one)
   * @param metadata     what the label is for, e.g. {@code storefront:<orderId>} (Shippo keeps it, up to 100 chars)
   * @param key          the purchase's idempotency key (the caller's label row: a retry of it buys nothing new)
   */
  public Future<Label> buy(JsonObject shopShipFrom, JsonObject shipTo, long orderCents, int slabs, String metadata,
                           String key) {
    JsonObject from;
    try {
      shippo.requireConfigured();
      from = rules.shipFrom(shopShipFrom);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    long insurance = rules.insuranceCents(orderCents);
    return shippo.validate(shipTo, "shippingAddress")
        .compose(x -> shippo.shipment(from, shipTo, ShippingRules.parcel(slabs), insurance, metadata))
        .compose(shipment -> {
          JsonObject rate = rules.choose(shipment.getJsonArray("rates"), orderCents);
          return shippo.buy(rate.getString("object_id"), metadata, key)
              .map(t -> Label.of(t, rate, insurance, from));
        });
  }

  /** What we keep of a bought label. */
  public record Label(String transactionId, String carrier, String service, String serviceName,
                      String trackingNumber, String trackingUrl, String labelUrl, long costCents,
                      long insuranceCents, JsonObject shipFrom) {
    static Label of(JsonObject transaction, JsonObject rate, long insurance, JsonObject from) {
      JsonObject level = rate.getJsonObject("servicelevel", new JsonObject());
      return new Label(transaction.getString("object_id"), rate.getString("provider"), level.getString("token"),
          level.getString("name"), transaction.getString("tracking_number"),
          transaction.getString("tracking_url_provider"), transaction.getString("label_url"),
          ShippoClient.cents(rate.getString("amount")), insurance, from);
    }

    public JsonObject toJson() {
      return new JsonObject().put("transactionId", transactionId).put("carrier", carrier).put("service", service)
          .put("serviceName", serviceName).put("trackingNumber", trackingNumber).put("trackingUrl", trackingUrl)
          .put("labelUrl", labelUrl).put("costCents", costCents).put("insuranceCents", insuranceCents)
          .put("shipFrom", shipFrom);
    }
  }
}
