package io.slabtrack.cluster.shipping;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.Optional;

/**
 * The seed's shipping rules (DOMAIN.md "Shipping"): where a parcel ships from, what it weighs, whether it is insured
 * and which rate is bought. ToT orders and shops without their own address ship from the global {@code SHIP_FROM_*};
 * a shop with a ship-from address uses it. An order over {@code SHIPPO_PRIORITY_OVER_CENTS} ($200) ships
 * {@code SHIPPO_PRIORITY_SERVICE} (USPS Priority) insured for its value; any other the cheapest rate among
 * {@code SHIPPO_ALLOWED_SERVICES}.
 */
public final class ShippingRules {
  private final ShippoSettings settings;

  public ShippingRules(ShippoSettings settings) {
    this.settings = settings;
  }

  /** The shop's own address when it has one, else the global one; 503 {@code ship_from_not_configured} if neither. */
  public JsonObject shipFrom(JsonObject shopShipFrom) {
    if (shopShipFrom != null && !shopShipFrom.isEmpty()) {
      return shopShipFrom;
    }
    return settings.globalShipFrom().map(JsonObject::copy).orElseThrow(() -> ApiErrors.unavailable(
        "ship_from_not_configured", "No ship-from address: set SHIP_FROM_* (or the shop's own ship-from address)"));
  }

  /** Insured for the order's value when it is over the priority threshold, else not at all. */
  public long insuranceCents(long orderCents) {
    return orderCents > settings.priorityOverCents() ? orderCents : 0;
  }

  /** A padded mailer of graded slabs: 10×7×3 in, 4 oz of packing plus 6 oz a slab. */
  public static JsonObject parcel(int slabs) {
    int ounces = 4 + 6 * Math.max(1, slabs);
    return new JsonObject().put("length", "10").put("width", "7").put("height", "3").put("distance_unit", "in")
        .put("weight", String.valueOf(ounces)).put("mass_unit", "oz");
  }

  /** The rate the rules buy among a shipment's {@code rates}; 422 {@code no_rate} when none fits. */
  public JsonObject choose(JsonArray rates, long orderCents) {
    boolean priority = orderCents > settings.priorityOverCents();
    Optional<JsonObject> pick = rates.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
        .filter(r -> {
          String service = service(r);
          return priority ? settings.priorityService().equals(service) : settings.allowedServices().contains(service);
        })
        .min(Comparator.comparingLong(r -> ShippoClient.cents(r.getString("amount"))));
    return pick.orElseThrow(() -> new ApiException(422, "no_rate", priority
        ? "No " + settings.priorityService() + " rate for this parcel (orders over $"
            + ShippoClient.dollars(settings.priorityOverCents()) + " ship " + settings.priorityService() + ")"
        : "No rate among the allowed services " + settings.allowedServices() + " for this parcel"));
  }

  public static String service(JsonObject rate) {
    JsonObject level = rate.getJsonObject("servicelevel");
    return level == null ? null : level.getString("token");
  }
}
