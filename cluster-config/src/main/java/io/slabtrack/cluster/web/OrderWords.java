package io.slabtrack.cluster.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An order's state in words for the buyer's order page, the same in every app: a heading, what it means and what
 * happens next, and the tone of the notice ({@code good}, {@code warn}, {@code bad}).
 */
public record OrderWords(String heading, String detail, String tone) {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.US)
      .withZone(ZoneOffset.UTC);

  /**
   * What the words depend on.
   *
   * @param chargedCents what was captured, or the order's amount while nothing is
   * @param deliveredAt an ISO instant, or null
   * @param seller who ships and answers ("The shop", "ThisOrThat")
   */
  public record Facts(String state, long chargedCents, long refundedCents, String deliveredAt, String cancelReason,
                      String seller) {
  }

  /** Every state a buyer can meet, said the way a shop would say it. */
  public static OrderWords of(Facts o) {
    return switch (o.state()) {
      case "pending" -> new OrderWords("Waiting for your payment",
          "Your cards are held for you while you pay on the payment page. If you already paid, this page updates in "
              + "a moment.", "warn");
      case "awaiting_confirmation" -> new OrderWords("Payment received — confirming your cards",
          "Your payment is authorized. We're making sure every card is still yours; you're only charged once it is. "
              + "This takes a moment.", "warn");
      case "paid" -> new OrderWords("Paid — thank you!",
          "Your order is confirmed and " + Money.usd(o.chargedCents()) + " was charged. " + o.seller()
              + " will ship it soon; this page will show the tracking number.", "good");
      case "shipped" -> new OrderWords("Shipped", "Your cards are on their way.", "good");
      case "delivered" -> new OrderWords("Delivered",
          "Delivered" + (o.deliveredAt() == null ? "." : " on " + DAY.format(Instant.parse(o.deliveredAt())) + ".")
              + " Enjoy your cards!", "good");
      case "refunded" -> new OrderWords("Refunded", Money.usd(o.refundedCents())
          + " was refunded to your card. It can take a few days to show on your statement.", "warn");
      case "partially_refunded" -> new OrderWords("Partly refunded", Money.usd(o.refundedCents())
          + " of " + Money.usd(o.chargedCents()) + " was refunded to your card. It can take a few days to show on "
          + "your statement.", "warn");
      case "disputed" -> new OrderWords("Payment disputed",
          "Your bank has opened a dispute about this payment. " + o.seller() + " will be in touch.", "bad");
      case "cancelled" -> new OrderWords("Order cancelled", cancelDetail(o.cancelReason()), "bad");
      case "capture_failed" -> new OrderWords("Order cancelled", cancelDetail("capture_failed"), "bad");
      default -> new OrderWords(o.state(), "", "warn");
    };
  }

  private static String cancelDetail(String reason) {
    String notCharged = " You were not charged.";
    if (reason == null) {
      return "This order was cancelled." + notCharged;
    }
    return switch (reason) {
      case "sold_elsewhere" -> "A card in this order sold elsewhere moments before your payment was confirmed, so "
          + "the order was cancelled." + notCharged + " The hold on your card has been released.";
      case "buyer_cancelled" -> "You cancelled at the payment page." + notCharged;
      case "session_expired", "lock_expired" -> "The payment page expired before a payment was made." + notCharged;
      case "capture_failed" -> "We couldn't complete the payment, so the order was cancelled." + notCharged;
      default -> "This order was cancelled." + notCharged;
    };
  }
}
