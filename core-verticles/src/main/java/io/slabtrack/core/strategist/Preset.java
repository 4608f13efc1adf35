package io.slabtrack.core.strategist;

/**
 * The Strategist's macro presets (DOMAIN.md; the original operator manual's table). A preset only stamps default
 * settings; every one of them can be overridden in the request or the proposal edited afterwards. Money in cents;
 * ranges are [min, max).
 * <ul>
 *   <li>MIX: balanced. eBay $0–15 a card (lots up to $75), ToT $10–50, Storefront from $50, repack under $5; lots
 *   where natural groups exist; overlapping ranges are decided by the card's scores.</li>
 *   <li>STOREFRONT: premium first. Storefront from $25, ToT the mid tier $10–25, repacks absorb everything under
 *   $10; eBay off.</li>
 *   <li>AGGRESSIVE_PULL: ToT gets the volume, $0–200, sub-$15 cards as Pull-only singles (lots off); Storefront from
 *   $200; eBay and repack off.</li>
 * </ul>
 */
public enum Preset {
  MIX, STOREFRONT, AGGRESSIVE_PULL;

  public static final long LOT_THRESHOLD = 1_500;
  public static final int LOT_MAX_SIZE = 25;
  public static final int LOT_MIN_SIZE = 3;
  public static final long EBAY_LOT_MAX = 7_500;

  public StrategyConfig defaults() {
    return switch (this) {
      case MIX -> new StrategyConfig(this, new Range(true, 0, 1_500L), EBAY_LOT_MAX, new Range(true, 1_000, 5_000L),
          new Range(true, 5_000, null), new Range(true, 0, 500L),
          new LotRules(true, LOT_THRESHOLD, LOT_MAX_SIZE, LOT_MIN_SIZE), false, null);
      case STOREFRONT -> new StrategyConfig(this, new Range(false, 0, 1_500L), EBAY_LOT_MAX,
          new Range(true, 1_000, 2_500L), new Range(true, 2_500, null), new Range(true, 0, 1_000L),
          new LotRules(true, LOT_THRESHOLD, LOT_MAX_SIZE, LOT_MIN_SIZE), false, null);
      case AGGRESSIVE_PULL -> new StrategyConfig(this, new Range(false, 0, 1_500L), EBAY_LOT_MAX,
          new Range(true, 0, 20_000L), new Range(true, 20_000, null), new Range(false, 0, 500L),
          new LotRules(false, LOT_THRESHOLD, LOT_MAX_SIZE, LOT_MIN_SIZE), false, null);
    };
  }

  /**
   * The Lot Builder's lots-only run: ToT only, every card under the $15 threshold is a lot candidate, lots of
   * 3–25 cards worth at least $15, and cards that make no lot stay where they are.
   */
  public static StrategyConfig lotsOnly(LotRules lots) {
    return new StrategyConfig(null, new Range(false, 0, 1_500L), EBAY_LOT_MAX, new Range(true, 1, lots.threshold()),
        new Range(false, 0, null), new Range(false, 0, 500L), lots, true, null);
  }
}
