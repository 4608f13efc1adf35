package io.slabtrack.storefront.cards;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** One card in one shop: core's snapshot and price, the owner's price/featured/hidden, and the sale status. */
public record StorefrontCard(long cardId, String shop, JsonObject snapshot, Long publishedPrice, Long customPrice,
                             boolean featured, String status, int quantity, boolean listed, long version,
                             String disengageReason) {

  static StorefrontCard of(Row r) {
    return new StorefrontCard(r.getLong("slabtrack_card_id"), r.getString("shop_slug"),
        (JsonObject) r.getValue("snapshot"), r.getLong("published_price"), r.getLong("custom_price"),
        r.getBoolean("featured"), r.getString("status"), r.getInteger("quantity"), r.getBoolean("listed"),
        r.getLong("version"), r.getString("disengage_reason"));
  }

  /** The owner's custom price wins over the published one. */
  public Long price() {
    return customPrice != null ? customPrice : publishedPrice;
  }

  /** A buyer can add it to a checkout. */
  public boolean buyable() {
    return listed && "active".equals(status);
  }

  public JsonObject publicJson() {
    return new JsonObject().put("slabtrackCardId", cardId).put("shop", shop).put("price", price())
        .put("featured", featured).put("status", buyable() || "sold".equals(status) ? status : "unavailable")
        .put("quantity", quantity).put("card", snapshot);
  }

  public JsonObject ownerJson() {
    return publicJson().put("status", status).put("publishedPrice", publishedPrice).put("customPrice", customPrice)
        .put("listed", listed).put("version", version).put("disengageReason", disengageReason);
  }
}
