package io.slabtrack.core.reconcile;

import java.util.Locale;

/** The kinds of drift the reconciler reports (issue 8 / DOMAIN.md's sync center), with their wire names. */
public enum DriftKind {
  /** core says sold, a satellite still offers the card → disengage there */
  SOLD_BUT_LISTED,
  /** core says active on the channel, the satellite doesn't offer it → republish (or clear core's row) */
  STALE_ENGAGE,
  /** the satellite offers a card core doesn't think is engaged there → engage it in core, or withdraw it */
  UNKNOWN_LISTING,
  /** the satellite shows an older card version than core's → republish */
  STALE_SNAPSHOT,
  /** a sale-lock with no open checkout behind it → release */
  ORPHAN_LOCK,
  /** a satellite order is paid but core's card isn't sold to it → replay the claim */
  PAID_NOT_SOLD,
  /** Stripe shows a payment event the satellite never processed (a lost webhook) → settle it through the webhook path */
  STRIPE_UNSETTLED,
  /** two orders hold one card as paid → never auto-fixed */
  DOUBLE_SALE,
  /** an order's amounts don't add up, or core's ledger disagrees with the satellite's → resync the ledger */
  MONEY_MISMATCH;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
