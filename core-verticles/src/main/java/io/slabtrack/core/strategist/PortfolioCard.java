package io.slabtrack.core.strategist;

import java.time.Instant;

/**
 * What the operator tools know of one card: identity for grouping, its comp value (cents, the {@code cards_priced}
 * chain), and the inputs of its scores.
 */
public record PortfolioCard(long id, String player, Integer year, String setName, String sport, String team,
                            long value, String compSource, Long askingPrice, Integer ebaySampleSize,
                            Instant compsRefreshedAt, boolean pullEligible, boolean flipEligible) {

  /** The price a channel would sell it at by default: the operator's asking price, else the comp value. */
  public long defaultPrice() {
    return askingPrice != null ? askingPrice : value;
  }
}
