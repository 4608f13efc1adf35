package io.slabtrack.tot.listings;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** A listing as buyers see it. */
public final class ListingJson {
  /** Singles under $15 can't be solo-flipped: buyers see them as Pull-only. */
  public static final long SOLO_FLIP_MIN_CENTS = 1500;

  private ListingJson() {
  }

  public static JsonObject of(Row r) {
    String kind = r.getString("kind");
    long value = r.getLong("card_value");
    boolean flip = r.getBoolean("flip_eligible");
    boolean pull = r.getBoolean("pull_eligible");
    Object cards = r.getValue("cards");
    JsonArray cardList = cards instanceof JsonArray a ? a : new JsonArray();
    return new JsonObject()
        .put("id", r.getLong("id"))
        .put("listingKey", r.getString("listing_key"))
        .put("kind", kind)
        .put("type", r.getString("type"))
        .put("status", r.getString("status"))
        .put("version", r.getLong("version"))
        .put("cardCount", cardList.size())
        .put("cards", cardList)
        .put("flipConfig", new JsonObject()
            .put("cardValue", value)
            .put("spread", r.getBigDecimal("spread").stripTrailingZeros().toPlainString())
            .put("winPrice", r.getLong("win_price"))
            .put("losePrice", r.getLong("lose_price")))
        .put("flipEligible", flip)
        .put("pullEligible", pull)
        .put("pullOnly", kind.equals("single") && pull && value < SOLO_FLIP_MIN_CENTS)
        .put("createdAt", r.getOffsetDateTime("created_at").toInstant().toString())
        .put("updatedAt", r.getOffsetDateTime("updated_at").toInstant().toString());
  }
}
