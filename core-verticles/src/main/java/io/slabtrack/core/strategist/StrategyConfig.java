package io.slabtrack.core.strategist;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.core.channels.Engagements;
import io.vertx.core.json.JsonObject;

/**
 * The settings of one allocator run: the pools' price ranges (cents) and switches, eBay's lot ceiling, the lot rules,
 * the shop storefront cards go to, and whether the run is lots-only (the Lot Builder).
 */
public record StrategyConfig(Preset preset, Range ebay, long ebayLotMax, Range thisorthat, Range storefront,
                             Range repack, LotRules lots, boolean lotsOnly, String shop) {

  public Range range(Pool pool) {
    return switch (pool) {
      case EBAY -> ebay;
      case THISORTHAT -> thisorthat;
      case STOREFRONT -> storefront;
      case REPACK -> repack;
      case PERSONAL -> new Range(false, 0, null);
    };
  }

  /**
   * The preset's defaults with the request's overrides ({@code pools.<slug>.enabled|min|max}, {@code
   * pools.ebay.lotMax}, {@code lots.enabled|threshold|maxSize|minSize}, {@code shop}); the OpenAPI document has
   * checked types and bounds, this checks what a schema can't (min below max).
   */
  public static StrategyConfig from(Preset preset, JsonObject body) {
    StrategyConfig d = preset.defaults();
    JsonObject pools = body.getJsonObject("pools", new JsonObject());
    JsonObject ebay = pools.getJsonObject("ebay", new JsonObject());
    JsonObject lots = body.getJsonObject("lots", new JsonObject());
    LotRules rules = new LotRules(lots.getBoolean("enabled", d.lots.enabled()),
        lots.getLong("threshold", d.lots.threshold()), lots.getInteger("maxSize", d.lots.maxSize()),
        lots.getInteger("minSize", d.lots.minSize()));
    if (rules.minSize() > rules.maxSize() || rules.minSize() < Engagements.MIN_LOT
        || rules.maxSize() > Engagements.MAX_LOT) {
      throw ApiErrors.invalidField("lots.minSize", "a lot holds " + Engagements.MIN_LOT + " to "
          + Engagements.MAX_LOT + " cards, and minSize can't be above maxSize");
    }
    return new StrategyConfig(preset, range(pools, "ebay", d.ebay), ebay.getLong("lotMax", d.ebayLotMax),
        range(pools, "thisorthat", d.thisorthat), range(pools, "storefront", d.storefront),
        range(pools, "repack", d.repack), rules, false, body.getString("shop"));
  }

  private static Range range(JsonObject pools, String slug, Range d) {
    JsonObject o = pools.getJsonObject(slug, new JsonObject());
    long min = o.getLong("min", d.min());
    Long max = o.containsKey("max") ? o.getLong("max") : d.max();
    if (max != null && max <= min) {
      throw ApiErrors.invalidField("pools." + slug + ".max", slug + ": max must be above min (cents, [min, max))");
    }
    return new Range(o.getBoolean("enabled", d.enabled()), min, max);
  }

  public JsonObject toJson() {
    return new JsonObject().put("preset", preset == null ? null : preset.name()).put("lotsOnly", lotsOnly)
        .put("pools", new JsonObject().put("ebay", ebay.toJson().put("lotMax", ebayLotMax))
            .put("thisorthat", thisorthat.toJson()).put("storefront", storefront.toJson())
            .put("repack", repack.toJson()))
        .put("lots", lots.toJson());
  }
}
