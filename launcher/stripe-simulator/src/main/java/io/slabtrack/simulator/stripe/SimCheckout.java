package io.slabtrack.simulator.stripe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Checkout Sessions in payment mode and Connect Express accounts. As on Stripe (API 2022-08-01 and later), a
 * session's PaymentIntent is created when the buyer first pays, not with the session: apps must find their order
 * through the metadata they put in {@code payment_intent_data[metadata]}, never by a PaymentIntent id they
 * stored at checkout time.
 */
final class SimCheckout {
  static final Duration MIN_EXPIRY = Duration.ofMinutes(30);
  static final Duration MAX_EXPIRY = Duration.ofHours(24);

  private final SimStore store;
  private final SimPayments payments;
  private final Supplier<String> publicBase;

  SimCheckout(SimStore store, SimPayments payments, Supplier<String> publicBase) {
    this.store = store;
    this.payments = payments;
    this.publicBase = publicBase;
  }

  JsonObject createSession(JsonObject p) {
    if (!"payment".equals(SimParams.string(p, "mode", true))) {
      throw SimError.invalid("parameter_invalid_string", "The simulator supports mode=payment only.", "mode");
    }
    Object rawItems = p.getValue("line_items");
    if (!(rawItems instanceof JsonArray items) || items.isEmpty()) {
      throw SimError.missing("line_items");
    }
    long total = 0;
    String currency = null;
    for (int i = 0; i < items.size(); i++) {
      String at = "line_items[" + i + "]";
      JsonObject item = items.getJsonObject(i);
      JsonObject price = SimParams.object(item, "price_data");
      if (price.isEmpty()) {
        throw SimError.missing(at + "[price_data]");
      }
      String c = SimParams.currency(price, "currency", true);
      if (currency != null && !currency.equals(c)) {
        throw SimError.invalid("parameter_invalid_string", "All line items must share one currency.", at);
      }
      currency = c;
      long unit = SimParams.amount(price, "unit_amount", true);
      Long qty = SimParams.amount(item, "quantity", true);
      if (qty < 1) {
        throw SimError.invalid("parameter_invalid_integer", "Quantity must be at least 1.", at + "[quantity]");
      }
      total += unit * qty;
    }
    long now = store.now();
    Long expiresAt = SimParams.amount(p, "expires_at", false);
    if (expiresAt != null && (expiresAt < now + MIN_EXPIRY.toSeconds() || expiresAt > now + MAX_EXPIRY.toSeconds())) {
      throw SimError.invalid("parameter_invalid_integer", "The `expires_at` timestamp must be between 30 minutes "
          + "and 24 hours from Checkout Session creation.", "expires_at");
    }
    JsonObject pid = SimParams.object(p, "payment_intent_data");
    JsonObject intentParams = new JsonObject().put("amount", String.valueOf(total)).put("currency", currency)
        .put("capture_method", SimParams.string(pid, "capture_method", false))
        .put("metadata", SimParams.metadata(pid, "metadata"))
        .put("description", SimParams.string(pid, "description", false));
    String destination = SimParams.string(SimParams.object(pid, "transfer_data"), "destination", false);
    Long fee = SimParams.amount(pid, "application_fee_amount", false);
    if (destination != null) {
      payments.requireChargeableAccount(destination, "payment_intent_data[transfer_data][destination]");
      intentParams.put("transfer_data", new JsonObject().put("destination", destination));
    }
    if (fee != null) {
      if (destination == null || fee > total) {
        throw SimError.invalid("parameter_invalid_integer", "payment_intent_data[application_fee_amount] needs a "
            + "destination and cannot exceed the total.", "payment_intent_data[application_fee_amount]");
      }
      intentParams.put("application_fee_amount", String.valueOf(fee));
    }
    JsonObject session = store.create("cs_test_", "checkout.session").put("mode", "payment")
        .put("status", "open").put("payment_status", "unpaid").put("amount_total", total)
        .put("amount_subtotal", total).put("currency", currency)
        .put("expires_at", expiresAt == null ? now + MAX_EXPIRY.toSeconds() : expiresAt)
        .put("metadata", SimParams.metadata(p, "metadata"))
        .put("customer_email", SimParams.string(p, "customer_email", false))
        .put("client_reference_id", SimParams.string(p, "client_reference_id", false))
        .put("success_url", SimParams.string(p, "success_url", false))
        .put("cancel_url", SimParams.string(p, "cancel_url", false))
        .putNull("payment_intent")
        // kept so the PaymentIntent created at payment time carries what the app asked for
        .put("x_sim_payment_intent_data", intentParams);
    session.put("url", publicBase.get() + "/checkout/" + session.getString("id"));
    return session;
  }

  /** The buyer pays with {@code paymentMethod}: a decline answers 402 and keeps the session open for a retry. */
  JsonObject pay(JsonObject session, String paymentMethod) {
    requireOpen(session);
    JsonObject pi = intentOf(session);
    payments.confirm(pi, paymentMethod);
    boolean captured = "succeeded".equals(pi.getString("status"));
    session.put("status", "complete").put("payment_status", captured ? "paid" : "unpaid");
    store.emit("checkout.session.completed", publicView(session), null, null);
    return session;
  }

  /** Stripe's "expire": only open sessions; a PaymentIntent left from a declined attempt is canceled with it. */
  JsonObject expire(JsonObject session) {
    requireOpen(session);
    session.put("status", "expired");
    String piId = session.getString("payment_intent");
    if (piId != null) {
      JsonObject pi = store.get(piId, "payment_intent");
      if (!"canceled".equals(pi.getString("status"))) {
        payments.cancel(pi, "abandoned");
      }
    }
    store.emit("checkout.session.expired", publicView(session), null, null);
    return session;
  }

  JsonObject publicView(JsonObject session) {
    JsonObject copy = session.copy();
    copy.remove("x_sim_payment_intent_data");
    return copy;
  }

  private JsonObject intentOf(JsonObject session) {
    String piId = session.getString("payment_intent");
    if (piId != null) {
      return store.get(piId, "payment_intent");
    }
    JsonObject pi = payments.createIntent(session.getJsonObject("x_sim_payment_intent_data"));
    session.put("payment_intent", pi.getString("id"));
    return pi;
  }

  private static void requireOpen(JsonObject session) {
    if (!"open".equals(session.getString("status"))) {
      throw SimError.invalid("checkout_session_not_open", "This Checkout Session is no longer open (status "
          + session.getString("status") + ").", null);
    }
  }

  JsonObject createAccount(JsonObject p) {
    String type = SimParams.string(p, "type", false);
    JsonObject account = store.create("acct_", "account").put("type", type == null ? "express" : type)
        .put("country", SimParams.string(p, "country", false) == null ? "US" : p.getString("country"))
        .put("email", SimParams.string(p, "email", false)).put("metadata", SimParams.metadata(p, "metadata"))
        .put("charges_enabled", false).put("payouts_enabled", false).put("details_submitted", false)
        .put("capabilities", new JsonObject().put("card_payments", "inactive").put("transfers", "inactive"));
    return account;
  }

  JsonObject createAccountLink(JsonObject p) {
    JsonObject account = store.get(SimParams.string(p, "account", true), "account");
    String type = SimParams.string(p, "type", true);
    if (!type.equals("account_onboarding") && !type.equals("account_update")) {
      throw SimError.invalid("parameter_invalid_string", "Invalid type: " + type, "type");
    }
    // the link record is not a Stripe object: only the onboarding page looks it up, by the id in its URL
    JsonObject record = store.create("aclk_", "x_sim_account_link").put("account", account.getString("id"))
        .put("return_url", SimParams.string(p, "return_url", false))
        .put("refresh_url", SimParams.string(p, "refresh_url", false));
    JsonObject link = new JsonObject().put("object", "account_link").put("created", store.now())
        .put("expires_at", store.now() + 300).put("url", publicBase.get() + "/connect/onboard/" + record.getString("id"));
    return link;
  }

  /** Opening the onboarding link "completes" onboarding: charges and payouts enabled, {@code account.updated}. */
  JsonObject completeOnboarding(JsonObject account) {
    JsonObject previous = new JsonObject().put("charges_enabled", account.getBoolean("charges_enabled"))
        .put("details_submitted", account.getBoolean("details_submitted"));
    account.put("charges_enabled", true).put("payouts_enabled", true).put("details_submitted", true)
        .put("capabilities", new JsonObject().put("card_payments", "active").put("transfers", "active"));
    store.emit("account.updated", account, previous, account.getString("id"));
    return account;
  }
}
