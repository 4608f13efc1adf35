package io.slabtrack.core.strategist;

import java.util.Locale;

/** How a lot's cards belong together, in the order the Lot Builder tries them (a card joins its first match). */
public enum LotKind {
  CITY, TEAM, PLAYER, SET, SPORT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
