package io.slabtrack.core.strategist;

import io.vertx.core.json.JsonObject;

/**
 * How lots are built: cards worth less than {@code threshold} (cents) can't be flipped alone on ToT, so they are lot
 * candidates; a lot holds {@code minSize}–{@code maxSize} cards (never more than 25, the ToT listing limit) and is
 * worth at least {@code threshold} in total, or it isn't proposed.
 */
public record LotRules(boolean enabled, long threshold, int maxSize, int minSize) {
  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("threshold", threshold).put("maxSize", maxSize)
        .put("minSize", minSize);
  }
}
