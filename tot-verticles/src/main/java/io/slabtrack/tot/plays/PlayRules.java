package io.slabtrack.tot.plays;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.tot.fairness.Fairness;
import io.slabtrack.tot.listings.ListingJson;
import io.slabtrack.tot.listings.SpreadPolicy;
import java.math.BigDecimal;
import java.util.List;

/** DOMAIN.md's game rules, each broken one a 422 naming it; the priced, ordered result of a valid request. */
final class PlayRules {
  static final int PULL_MIN = 2;
  static final int PULL_MAX = 5;
  static final long PULL_AVERAGE_MIN_CENTS = 1500;

  private PlayRules() {
  }

  /** A listing as the rules see it (read under lock in the commit transaction). */
  record Option(long listingId, String status, long cardValue, BigDecimal spread, boolean flipEligible,
                boolean pullEligible, List<Long> cardIds) {
  }

  record Priced(String game, List<Option> options, long cardValue, BigDecimal spread, Long winPrice, Long losePrice,
                Long pullPrice, long amount) {
  }

  /** @param options the requested listings that exist, sorted by listing id */
  static Priced flip(List<Long> requested, List<Option> options, SpreadPolicy spreads) {
    active(requested, options);
    for (Option o : options) {
      if (!o.flipEligible()) {
        throw ApiErrors.unprocessable("not_flip_eligible", "Listing " + o.listingId() + " can't be flipped");
      }
    }
    long total = options.stream().mapToLong(Option::cardValue).sum();
    if (options.size() == 1 && total < ListingJson.SOLO_FLIP_MIN_CENTS) {
      throw ApiErrors.unprocessable("solo_flip_minimum",
          "A solo flip needs a card value of at least $15.00; add it to a flip cart or a pull stack");
    }
    // one listing: its own FlipConfig; a cart: one outcome on the total, at the shared spread when all agree
    BigDecimal spread = options.stream().map(Option::spread).distinct().count() == 1
        ? options.get(0).spread() : spreads.defaultSpread();
    long win = Fairness.winPrice(total, spread);
    long lose = Fairness.losePrice(total, spread);
    return new Priced("FLIP", options, total, spread, win, lose, null, lose);
  }

  static Priced pull(List<Long> requested, List<Option> options) {
    if (requested.size() < PULL_MIN || requested.size() > PULL_MAX) {
      throw ApiErrors.unprocessable("pull_stack_size", "A pull stack holds 2 to 5 options, not " + requested.size());
    }
    active(requested, options);
    for (Option o : options) {
      if (!o.pullEligible()) {
        throw ApiErrors.unprocessable("not_pull_eligible",
            "Listing " + o.listingId() + " can't be pulled (not pull-eligible, or a lot of more than 5 cards)");
      }
    }
    List<Long> values = options.stream().map(Option::cardValue).toList();
    long sum = values.stream().mapToLong(Long::longValue).sum();
    if (sum < PULL_AVERAGE_MIN_CENTS * options.size()) {
      throw ApiErrors.unprocessable("pull_average_minimum", "A pull stack's average value must be at least $15.00");
    }
    long price = Fairness.pullPrice(values);
    return new Priced("PULL", options, sum, null, null, null, price, price);
  }

  private static void active(List<Long> requested, List<Option> options) {
    for (Long id : requested) {
      Option o = options.stream().filter(x -> x.listingId() == id).findFirst().orElse(null);
      if (o == null || !o.status().equals("ACTIVE")) {
        throw ApiErrors.unprocessable("listing_not_active", "Listing " + id + " is not in play");
      }
    }
  }
}
