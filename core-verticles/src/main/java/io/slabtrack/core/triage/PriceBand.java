package io.slabtrack.core.triage;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Optional;

/**
 * Triage's price bands (cents, [min, max)) with the seed's advice for each (the original operator manual's table).
 */
public enum PriceBand {
  UNDER_5("<5", 0, 500L, "Bargain bin: repack or lot candidates; don't ship them to ToT as singles, bundle them"),
  FROM_5_TO_50("5-50", 500, 5_000L, "The marketplace sweet spot: most cards work as ToT singles here"),
  FROM_50_TO_200("50-200", 5_000, 20_000L, "Higher-value singles: usually solo-flippable, broad buyer appeal"),
  FROM_200_TO_1000("200-1000", 20_000, 100_000L, "Premium singles: often better on Storefront direct than on ToT"),
  FROM_1000("1000+", 100_000, null, "Hero cards: Storefront direct or auction"),
  ANY("any", 0, null, "Everything not on ToT yet");

  public static final PriceBand DEFAULT = FROM_5_TO_50;

  public final String wire;
  public final long min;
  public final Long max;
  public final String advice;

  PriceBand(String wire, long min, Long max, String advice) {
    this.wire = wire;
    this.min = min;
    this.max = max;
    this.advice = advice;
  }

  public static Optional<PriceBand> of(String wire) {
    return Arrays.stream(values()).filter(b -> b.wire.equals(wire)).findFirst();
  }

  public JsonObject toJson() {
    return new JsonObject().put("band", wire).put("min", min).put("max", max).put("advice", advice);
  }
}
