package io.slabtrack.core.strategist;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Scores a card 0–100 on the five dimensions of the seed (the weights are ours; DOMAIN.md leaves them open):
 * <ul>
 *   <li>price: log scale of the comp value, $1 → 0, $1,000 and up → 100;</li>
 *   <li>recency: how new the card is, 100 for this year's, 4 points less per year of age, 50 when the year is unknown;</li>
 *   <li>sport: buyer demand by sport (basketball 100, football 90, baseball 80, soccer 70, hockey 60, other 40,
 *   unknown 50);</li>
 *   <li>comp confidence: where the comp comes from (graded comp 100, raw 80, eBay average 60, only the asking price
 *   25, none 0), halved when the comps are older than 30 days or were never refreshed;</li>
 *   <li>velocity: eBay sales in the comp sample, 10 points a sale up to 100.</li>
 * </ul>
 */
public final class Scorer {
  public static final Duration STALE_COMPS = Duration.ofDays(30);
  private static final Map<String, Integer> SPORT = Map.of("basketball", 100, "football", 90, "baseball", 80,
      "soccer", 70, "hockey", 60, "other", 40);
  private static final Map<String, Integer> SOURCE = Map.of("graded", 100, "raw", 80, "ebay_avg", 60,
      "asking_price", 25, "none", 0);

  private final Instant now;
  private final int thisYear;

  public Scorer(Instant now) {
    this.now = now;
    this.thisYear = now.atZone(ZoneOffset.UTC).getYear();
  }

  public Scores score(PortfolioCard c) {
    return new Scores(price(c), recency(c), sport(c), compConfidence(c), velocity(c));
  }

  private static Scores.Score price(PortfolioCard c) {
    double dollars = c.value() / 100.0;
    int s = dollars <= 1 ? 0 : clamp((int) Math.round(Math.log10(dollars) / 3 * 100));
    return new Scores.Score(s, new JsonObject().put("value", c.value()).put("compSource", c.compSource()));
  }

  private Scores.Score recency(PortfolioCard c) {
    if (c.year() == null) {
      return new Scores.Score(50, new JsonObject().putNull("year"));
    }
    int age = Math.max(0, thisYear - c.year());
    return new Scores.Score(clamp(100 - 4 * age), new JsonObject().put("year", c.year()).put("ageYears", age));
  }

  private static Scores.Score sport(PortfolioCard c) {
    int s = c.sport() == null ? 50 : SPORT.getOrDefault(c.sport(), 40);
    return new Scores.Score(s, new JsonObject().put("sport", c.sport()));
  }

  private Scores.Score compConfidence(PortfolioCard c) {
    int base = SOURCE.getOrDefault(c.compSource(), 0);
    boolean stale = c.compsRefreshedAt() == null || c.compsRefreshedAt().isBefore(now.minus(STALE_COMPS));
    JsonObject in = new JsonObject().put("compSource", c.compSource())
        .put("compsRefreshedAt", c.compsRefreshedAt() == null ? null : c.compsRefreshedAt().toString())
        .put("stale", stale);
    return new Scores.Score(stale ? base / 2 : base, in);
  }

  private static Scores.Score velocity(PortfolioCard c) {
    int n = c.ebaySampleSize() == null ? 0 : c.ebaySampleSize();
    return new Scores.Score(clamp(n * 10), new JsonObject().put("ebaySampleSize", c.ebaySampleSize()));
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(100, v));
  }
}
