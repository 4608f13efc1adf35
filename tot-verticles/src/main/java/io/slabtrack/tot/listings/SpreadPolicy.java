package io.slabtrack.tot.listings;

import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.Settings;
import java.math.BigDecimal;

/**
 * The spread a new listing gets and the range an operator may set: {@code TOT_SPREAD_DEFAULT} (0.25),
 * {@code TOT_SPREAD_MIN} (0.05), {@code TOT_SPREAD_MAX} (0.50); decimals, 0 ≤ min ≤ default ≤ max < 1.
 */
public record SpreadPolicy(BigDecimal defaultSpread, BigDecimal min, BigDecimal max) {

  public SpreadPolicy {
    if (min.signum() < 0 || min.compareTo(defaultSpread) > 0 || defaultSpread.compareTo(max) > 0
        || max.compareTo(BigDecimal.ONE) >= 0) {
      throw new ConfigException("ToT spreads need 0 <= TOT_SPREAD_MIN <= TOT_SPREAD_DEFAULT <= TOT_SPREAD_MAX < 1, got "
          + min + " / " + defaultSpread + " / " + max);
    }
  }

  public static SpreadPolicy fromSettings(Settings s) {
    return new SpreadPolicy(decimal(s, "TOT_SPREAD_DEFAULT", "0.25"), decimal(s, "TOT_SPREAD_MIN", "0.05"),
        decimal(s, "TOT_SPREAD_MAX", "0.50"));
  }

  public boolean allows(BigDecimal spread) {
    return spread.compareTo(min) >= 0 && spread.compareTo(max) <= 0;
  }

  private static BigDecimal decimal(Settings s, String name, String dflt) {
    String raw = s.string(name, dflt);
    try {
      return new BigDecimal(raw.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " must be a decimal like 0.25, got '" + raw + "'");
    }
  }
}
