package io.slabtrack.core.strategist;

import io.vertx.core.json.JsonObject;

/**
 * A pool's price range in cents, {@code [min, max)} (max null = no ceiling), and whether the pool is on. Half-open
 * so that neighbouring pools meet without a card sitting in both by its bounds ($50 is storefront, not ToT).
 */
public record Range(boolean enabled, long min, Long max) {
  public boolean contains(long value) {
    return enabled && value >= min && (max == null || value < max);
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("min", min).put("max", max);
  }
}
