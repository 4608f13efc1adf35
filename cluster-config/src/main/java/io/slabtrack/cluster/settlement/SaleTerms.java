package io.slabtrack.cluster.settlement;

import io.slabtrack.cluster.stripe.StripeGateway;
import java.time.Duration;

/** The rules both satellites sell by, in one place (SALE-FLOW.md, "One behaviour for each difference"). */
public final class SaleTerms {
  /**
   * How long a claim says its authorization can still be captured. Stripe holds an online card authorization for
   * 7 days; the claim says 6 so that a claim that waited in the outbox (core down) and a capture retried after it
   * still fall inside the real window: core refuses a claim whose authorization lapsed instead of awarding cards
   * that can no longer be paid for.
   */
  public static final Duration AUTH_VALIDITY = Duration.ofDays(6);

  private SaleTerms() {
  }

  /** The Stripe calls settlement makes, each once per sale. */
  public enum StripeStep {
    CAPTURE("capture"), CANCEL("cancel"), EXPIRE("expire");

    private final String word;

    StripeStep(String word) {
      this.word = word;
    }
  }

  /**
   * The one idempotency-key scheme: {@code <app prefix><step>-<sale ref>}, the sale ref being the app's id of what
   * owns the PaymentIntent (ToT: the play, Storefront: the order). Every caller of one step of one sale (the claim
   * answer, the buyer's cancel, the lock expiry, a retry) sends the same key, so Stripe does the step once.
   */
  public static String key(StripeGateway stripe, StripeStep step, String saleRef) {
    return stripe.keyPrefix() + step.word + "-" + saleRef;
  }
}
