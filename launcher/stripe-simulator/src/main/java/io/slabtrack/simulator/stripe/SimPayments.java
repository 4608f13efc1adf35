package io.slabtrack.simulator.stripe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * PaymentIntents, their charges, refunds and disputes, with the state machine of a card payment under manual
 * capture: {@code requires_payment_method → requires_capture → succeeded | canceled}. A decline leaves the
 * intent in {@code requires_payment_method} so the buyer can retry. Field names and error codes follow
 * Stripe's; after API version 2025-03-31 a cancellation or a partial capture creates no refund, so
 * {@code amount_refunded} only ever counts real refunds.
 */
final class SimPayments {
  static final String CARD_OK = "pm_card_visa";
  static final String CARD_DECLINED = "pm_card_chargeDeclined";
  static final String CARD_NO_FUNDS = "pm_card_chargeDeclinedInsufficientFunds";
  private static final Duration DISPUTE_RESPONSE_WINDOW = Duration.ofDays(7);

  private final SimStore store;

  SimPayments(SimStore store) {
    this.store = store;
  }

  JsonObject createIntent(JsonObject p) {
    long amount = SimParams.amount(p, "amount", true);
    if (amount < 50) {
      throw SimError.invalid("amount_too_small", "Amount must be at least $0.50 usd", "amount");
    }
    String currency = SimParams.currency(p, "currency", true);
    String capture = SimParams.string(p, "capture_method", false);
    if (capture != null && !capture.matches("automatic|automatic_async|manual")) {
      throw SimError.invalid("parameter_invalid_string", "Invalid capture_method: " + capture, "capture_method");
    }
    JsonObject transfer = SimParams.object(p, "transfer_data");
    String destination = SimParams.string(transfer, "destination", false);
    Long fee = SimParams.amount(p, "application_fee_amount", false);
    if (destination != null) {
      requireChargeableAccount(destination, "transfer_data[destination]");
    }
    if (fee != null && (destination == null || fee > amount)) {
      throw SimError.invalid("parameter_invalid_integer", destination == null
          ? "application_fee_amount needs a destination (transfer_data[destination]) on the platform."
          : "application_fee_amount cannot exceed amount.", "application_fee_amount");
    }
    JsonObject pi = store.create("pi_", "payment_intent").put("amount", amount).put("currency", currency)
        .put("capture_method", capture == null ? "automatic_async" : capture)
        .put("metadata", SimParams.metadata(p, "metadata"))
        .put("status", "requires_payment_method").put("amount_capturable", 0L).put("amount_received", 0L)
        .putNull("latest_charge").putNull("last_payment_error").putNull("payment_method")
        .putNull("canceled_at").putNull("cancellation_reason")
        .put("description", SimParams.string(p, "description", false))
        .put("receipt_email", SimParams.string(p, "receipt_email", false));
    pi.put("client_secret", pi.getString("id") + "_secret_" + SimStore.newId(""));
    pi.put("application_fee_amount", fee);
    pi.put("transfer_data", destination == null ? null : new JsonObject().put("destination", destination));
    store.emit("payment_intent.created", pi, null, null);
    String pm = SimParams.string(p, "payment_method", false);
    if (pm != null) {
      pi.put("payment_method", pm);
    }
    if (SimParams.bool(p, "confirm")) {
      return confirm(pi, pm);
    }
    return pi;
  }

  /** Authorizes (manual capture) or charges the intent; a declined test card answers 402 and stays retryable. */
  JsonObject confirm(JsonObject pi, String paymentMethod) {
    String status = pi.getString("status");
    if (!"requires_payment_method".equals(status) && !"requires_confirmation".equals(status)) {
      throw SimError.unexpectedState("This PaymentIntent's status is " + status + " and cannot be confirmed.", pi);
    }
    String pm = paymentMethod != null ? paymentMethod : pi.getString("payment_method");
    if (pm == null) {
      throw SimError.invalid("payment_intent_unexpected_state",
          "You cannot confirm this PaymentIntent because it's missing a payment method.", "payment_method");
    }
    pi.put("payment_method", pm);
    if (CARD_DECLINED.equals(pm) || CARD_NO_FUNDS.equals(pm)) {
      String decline = CARD_DECLINED.equals(pm) ? "generic_decline" : "insufficient_funds";
      pi.put("status", "requires_payment_method").put("last_payment_error", new JsonObject().put("type", "card_error")
          .put("code", "card_declined").put("decline_code", decline).put("message", "Your card was declined."));
      store.emit("payment_intent.payment_failed", pi, null, null);
      throw SimError.card("card_declined", decline, "Your card was declined.", pi.getString("id"));
    }
    if (!CARD_OK.equals(pm)) {
      throw SimError.invalid("resource_missing", "No such PaymentMethod: '" + pm + "'", "payment_method");
    }
    boolean manual = "manual".equals(pi.getString("capture_method"));
    long amount = pi.getLong("amount");
    JsonObject charge = store.create("ch_", "charge").put("amount", amount).put("currency", pi.getString("currency"))
        .put("amount_captured", manual ? 0L : amount).put("amount_refunded", 0L).put("captured", !manual)
        .put("paid", true).put("refunded", false).put("disputed", false).put("status", "succeeded")
        .put("payment_intent", pi.getString("id")).put("payment_method", pm)
        .put("metadata", pi.getJsonObject("metadata").copy())
        .put("application_fee_amount", pi.getValue("application_fee_amount"))
        .put("transfer_data", pi.getValue("transfer_data"))
        .put("refunds", new JsonObject().put("object", "list").put("data", new JsonArray()).put("has_more", false));
    pi.put("latest_charge", charge.getString("id")).putNull("last_payment_error");
    if (manual) {
      pi.put("status", "requires_capture").put("amount_capturable", amount);
      store.emit("charge.succeeded", charge, null, null);
      store.emit("payment_intent.amount_capturable_updated", pi, null, null);
    } else {
      pi.put("status", "succeeded").put("amount_received", amount);
      store.emit("charge.succeeded", charge, null, null);
      store.emit("payment_intent.succeeded", pi, null, null);
    }
    return pi;
  }

  JsonObject capture(JsonObject pi, JsonObject p) {
    if (!"requires_capture".equals(pi.getString("status"))) {
      throw SimError.unexpectedState("This PaymentIntent could not be captured because it has a status of "
          + pi.getString("status") + ". Only a PaymentIntent with one of the following statuses may be captured: "
          + "requires_capture.", pi);
    }
    long capturable = pi.getLong("amount_capturable");
    Long requested = SimParams.amount(p, "amount_to_capture", false);
    long amount = requested == null ? capturable : requested;
    if (amount > capturable || amount < 1) {
      throw SimError.invalid("amount_too_large", "The amount to capture (" + amount + ") must be positive and at most "
          + "the capturable amount (" + capturable + ").", "amount_to_capture");
    }
    Long fee = SimParams.amount(p, "application_fee_amount", false);
    if (fee != null) {
      pi.put("application_fee_amount", fee);
    }
    JsonObject charge = store.get(pi.getString("latest_charge"), "charge");
    charge.put("captured", true).put("amount_captured", amount)
        .put("application_fee_amount", pi.getValue("application_fee_amount"));
    pi.put("status", "succeeded").put("amount_capturable", 0L).put("amount_received", amount);
    store.emit("charge.captured", charge, null, null);
    store.emit("payment_intent.succeeded", pi, null, null);
    return pi;
  }

  /** {@code reason} as Stripe's {@code cancellation_reason}; "expired" is an authorization that lapsed. */
  JsonObject cancel(JsonObject pi, String reason) {
    String status = pi.getString("status");
    if ("succeeded".equals(status) || "canceled".equals(status)) {
      throw SimError.unexpectedState("You cannot cancel this PaymentIntent because it has a status of " + status
          + ".", pi);
    }
    pi.put("status", "canceled").put("canceled_at", store.now()).put("cancellation_reason", reason)
        .put("amount_capturable", 0L);
    store.emit("payment_intent.canceled", pi, null, null);
    return pi;
  }

  JsonObject refund(JsonObject p) {
    String piId = SimParams.string(p, "payment_intent", false);
    String chId = SimParams.string(p, "charge", false);
    if (piId == null && chId == null) {
      throw SimError.missing("charge");
    }
    if (chId == null) {
      JsonObject pi = store.get(piId, "payment_intent");
      chId = pi.getString("latest_charge");
      if (chId == null || !"succeeded".equals(pi.getString("status"))) {
        throw SimError.invalid("charge_not_captured", "This PaymentIntent has no captured charge to refund.",
            "payment_intent");
      }
    }
    JsonObject charge = store.get(chId, "charge");
    if (!charge.getBoolean("captured")) {
      throw SimError.invalid("charge_not_captured", "Cancel the PaymentIntent to release an uncaptured charge.",
          "charge");
    }
    long remaining = charge.getLong("amount_captured") - charge.getLong("amount_refunded");
    if (remaining == 0) {
      throw SimError.invalid("charge_already_refunded", "Charge " + chId + " has already been refunded.", "charge");
    }
    Long requested = SimParams.amount(p, "amount", false);
    long amount = requested == null ? remaining : requested;
    if (amount > remaining || amount < 1) {
      throw SimError.invalid("amount_too_large", "Refund amount ($" + amount / 100.0 + ") is greater than unrefunded "
          + "amount on charge ($" + remaining / 100.0 + ")", "amount");
    }
    boolean reverse = SimParams.bool(p, "reverse_transfer");
    boolean refundFee = SimParams.bool(p, "refund_application_fee");
    if ((reverse || refundFee) && charge.getValue("transfer_data") == null) {
      throw SimError.invalid("parameter_invalid_boolean", "reverse_transfer and refund_application_fee apply only to "
          + "charges with a destination.", reverse ? "reverse_transfer" : "refund_application_fee");
    }
    JsonObject refund = store.create("re_", "refund").put("amount", amount).put("charge", chId)
        .put("currency", charge.getString("currency")).put("payment_intent", charge.getString("payment_intent"))
        .put("metadata", SimParams.metadata(p, "metadata")).put("reason", SimParams.string(p, "reason", false))
        .put("status", "succeeded").put("transfer_reversal", reverse ? SimStore.newId("trr_") : null)
        // not a Stripe field: lets tests see that the fee refund was asked for
        .put("x_sim_refund_application_fee", refundFee);
    long refundedBefore = charge.getLong("amount_refunded");
    long refundedNow = refundedBefore + amount;
    charge.put("amount_refunded", refundedNow).put("refunded", refundedNow == charge.getLong("amount_captured"));
    // Stripe lists a charge's refunds newest first
    charge.getJsonObject("refunds").getJsonArray("data").add(0, refund.copy());
    store.emit("refund.created", refund, null, null);
    store.emit("charge.refunded", charge, new JsonObject().put("amount_refunded", refundedBefore), null);
    return refund;
  }

  /** Control: the cardholder disputes a captured charge; the response deadline is seven days out. */
  JsonObject openDispute(JsonObject p) {
    String chId = SimParams.string(p, "charge", false);
    if (chId == null) {
      JsonObject pi = store.get(SimParams.string(p, "payment_intent", true), "payment_intent");
      chId = pi.getString("latest_charge");
    }
    JsonObject charge = store.get(chId, "charge");
    if (!charge.getBoolean("captured")) {
      throw SimError.invalid("charge_not_captured", "Only captured charges can be disputed.", "charge");
    }
    Long amount = SimParams.amount(p, "amount", false);
    JsonObject dispute = store.create("du_", "dispute").put("charge", chId)
        .put("payment_intent", charge.getString("payment_intent"))
        .put("amount", amount == null ? charge.getLong("amount_captured") : amount)
        .put("currency", charge.getString("currency"))
        .put("reason", SimParams.string(p, "reason", false) == null ? "fraudulent" : p.getString("reason"))
        .put("status", "needs_response").put("is_charge_refundable", false)
        .put("evidence_details", new JsonObject().put("due_by", store.now() + DISPUTE_RESPONSE_WINDOW.toSeconds())
            .put("has_evidence", false).put("past_due", false).put("submission_count", 0));
    charge.put("disputed", true);
    store.emit("charge.dispute.created", dispute, null, null);
    return dispute;
  }

  JsonObject closeDispute(JsonObject dispute, String outcome) {
    if (!"won".equals(outcome) && !"lost".equals(outcome)) {
      throw SimError.invalid("parameter_invalid_string", "status must be won or lost", "status");
    }
    if ("won".equals(dispute.getString("status")) || "lost".equals(dispute.getString("status"))) {
      throw SimError.invalid("dispute_already_closed", "This dispute is already closed.", null);
    }
    dispute.put("status", outcome);
    store.emit("charge.dispute.closed", dispute, new JsonObject().put("status", "needs_response"), null);
    return dispute;
  }

  void requireChargeableAccount(String accountId, String param) {
    JsonObject account = store.find(accountId);
    if (account == null || !"account".equals(account.getString("object"))) {
      throw SimError.invalid("resource_missing", "No such destination: '" + accountId + "'", param);
    }
    if (!account.getBoolean("charges_enabled", false)) {
      throw SimError.invalid("insufficient_capabilities_for_transfer", "Your destination account needs to have at "
          + "least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments", param);
    }
  }
}
