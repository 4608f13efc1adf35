package io.slabtrack.core.strategist;

import java.util.EnumMap;
import java.util.Map;

/**
 * Routes a scored card into a pool. The pools whose price range holds the card's comp value are its candidates
 * (a card worth $0 has no comp: it needs review and stays personal); when ranges overlap, the candidate with the
 * best fit wins (starred in the reason), ties broken in {@link Pool#SELLING} order. A pool's fit weighs the scores that matter to its
 * buyers:
 * <ul>
 *   <li>eBay: comp confidence 40%, velocity 40%, price 20% (eBay buyers shop by comps and sold history);</li>
 *   <li>ToT: sport 35%, recency 35%, price 30% (the games sell popular, recent cards);</li>
 *   <li>Storefront: price 60%, comp confidence 20%, recency 20% (direct buy of premium cards);</li>
 *   <li>repack: low price 70%, low velocity 30% (cards that won't sell alone).</li>
 * </ul>
 */
public final class Router {
  private Router() {
  }

  /** Where a card goes and why, with the fit of every candidate pool. */
  public record Route(Pool pool, String reason, Map<Pool, Integer> fits) {
  }

  public static Route route(PortfolioCard card, Scores s, StrategyConfig config) {
    Map<Pool, Integer> fits = new EnumMap<>(Pool.class);
    if (card.value() == 0) {
      return new Route(Pool.PERSONAL, "needs_review: no comp value", fits);
    }
    Pool best = null;
    for (Pool p : Pool.SELLING) {
      if (config.range(p).contains(card.value())) {
        int f = fit(p, s);
        fits.put(p, f);
        if (best == null || f > fits.get(best)) {
          best = p;
        }
      }
    }
    if (best == null) {
      return new Route(Pool.PERSONAL, "no enabled pool covers " + dollars(card.value()), fits);
    }
    String reason;
    if (fits.size() == 1) {
      reason = "only " + best.slug() + " covers " + dollars(card.value());
    } else {
      StringBuilder among = new StringBuilder("best fit among ");
      for (Pool p : fits.keySet()) {
        among.append(p.slug()).append(p == best ? "*" : "").append(' ');
      }
      reason = among.append("for ").append(dollars(card.value())).toString();
    }
    return new Route(best, reason, fits);
  }

  static int fit(Pool p, Scores s) {
    double f = switch (p) {
      case EBAY -> 0.4 * s.compConfidence().value() + 0.4 * s.velocity().value() + 0.2 * s.price().value();
      case THISORTHAT -> 0.35 * s.sport().value() + 0.35 * s.recency().value() + 0.3 * s.price().value();
      case STOREFRONT -> 0.6 * s.price().value() + 0.2 * s.compConfidence().value() + 0.2 * s.recency().value();
      case REPACK -> 0.7 * (100 - s.price().value()) + 0.3 * (100 - s.velocity().value());
      case PERSONAL -> 0;
    };
    return (int) Math.round(f);
  }

  static String dollars(long cents) {
    long c = cents % 100;
    return "$" + cents / 100 + (c < 10 ? ".0" : ".") + c;
  }
}
