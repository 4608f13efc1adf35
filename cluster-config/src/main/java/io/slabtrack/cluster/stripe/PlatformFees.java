package io.slabtrack.cluster.stripe;

/**
 * The application fee the platform keeps on a destination charge. The seller bears both the platform's cut and
 * Stripe's processing (which Stripe takes from the platform's balance on destination charges), so the fee is
 * the sum of both: on $100 with 3% + 2.9% + 30¢ the fee is $6.20 and the seller nets $93.80 (DOMAIN.md).
 * Each part is rounded half-up on its own, the way the seller's statement shows them.
 *
 * @param platformBps platform share in basis points (300 = 3%)
 * @param stripeBps Stripe's processing estimate in basis points (290 = 2.9%)
 * @param stripeFixedCents Stripe's fixed fee per charge in cents (30)
 */
public record PlatformFees(int platformBps, int stripeBps, int stripeFixedCents) {
  public static final PlatformFees DEFAULT = new PlatformFees(300, 290, 30);

  public PlatformFees {
    if (platformBps < 0 || stripeBps < 0 || stripeFixedCents < 0) {
      throw new IllegalArgumentException("fee rates must not be negative");
    }
  }

  /** The platform's application fee on a charge of {@code totalCents}, never more than the charge itself. */
  public long applicationFeeCents(long totalCents) {
    if (totalCents < 0) {
      throw new IllegalArgumentException("totalCents must not be negative: " + totalCents);
    }
    long fee = platformCents(totalCents) + stripeEstimateCents(totalCents);
    return Math.min(fee, totalCents);
  }

  public long platformCents(long totalCents) {
    return basisPointsHalfUp(totalCents, platformBps);
  }

  public long stripeEstimateCents(long totalCents) {
    return basisPointsHalfUp(totalCents, stripeBps) + stripeFixedCents;
  }

  public long sellerNetCents(long totalCents) {
    return totalCents - applicationFeeCents(totalCents);
  }

  private static long basisPointsHalfUp(long cents, int bps) {
    return Math.addExact(Math.multiplyExact(cents, (long) bps), 5_000L) / 10_000L;
  }
}
