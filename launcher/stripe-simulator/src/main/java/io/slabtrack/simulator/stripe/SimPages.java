package io.slabtrack.simulator.stripe;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The two pages a person sees in dev mode: the hosted checkout (Pay with a test card that authorizes, Decline
 * with one that fails, Cancel back to the shop) and the Connect onboarding link, which completes onboarding as
 * soon as it is opened.
 */
final class SimPages {
  private final SimStore store;
  private final SimCheckout checkout;

  SimPages(SimStore store, SimCheckout checkout) {
    this.store = store;
    this.checkout = checkout;
  }

  void mount(Router router) {
    router.get("/checkout/:id").handler(ctx -> page(ctx, null));
    router.post("/checkout/:id/pay").handler(this::pay);
    router.post("/checkout/:id/decline").handler(this::decline);
    router.post("/checkout/:id/cancel").handler(this::cancel);
    router.get("/connect/onboard/:link").handler(this::onboard);
  }

  private void page(RoutingContext ctx, String notice) {
    JsonObject s;
    try {
      s = store.get(ctx.pathParam("id"), "checkout.session");
    } catch (SimError e) {
      html(ctx, 404, "<p>No such checkout session.</p>");
      return;
    }
    String id = escape(s.getString("id"));
    String amount = String.format("%s %.2f", s.getString("currency").toUpperCase(), s.getLong("amount_total") / 100.0);
    StringBuilder body = new StringBuilder()
        .append("<h1>Stripe simulator checkout</h1><p>Amount: <b>").append(amount).append("</b></p>")
        .append("<p>Status: ").append(escape(s.getString("status"))).append("</p>");
    if (notice != null) {
      body.append("<p style=\"color:#b00\">").append(escape(notice)).append("</p>");
    }
    if ("open".equals(s.getString("status"))) {
      body.append(button(id, "pay", "Pay with test card 4242"))
          .append(button(id, "decline", "Pay with a card that is declined"))
          .append(button(id, "cancel", "Cancel"));
    }
    html(ctx, 200, body.toString());
  }

  private void pay(RoutingContext ctx) {
    try {
      JsonObject s = checkout.pay(store.get(ctx.pathParam("id"), "checkout.session"), SimPayments.CARD_OK);
      redirect(ctx, s.getString("success_url"), s.getString("id"));
    } catch (SimError e) {
      page(ctx, e.getMessage());
    }
  }

  private void decline(RoutingContext ctx) {
    try {
      checkout.pay(store.get(ctx.pathParam("id"), "checkout.session"), SimPayments.CARD_DECLINED);
      page(ctx, null);
    } catch (SimError e) {
      page(ctx, e.getMessage());
    }
  }

  private void cancel(RoutingContext ctx) {
    try {
      JsonObject s = store.get(ctx.pathParam("id"), "checkout.session");
      redirect(ctx, s.getString("cancel_url"), s.getString("id"));
    } catch (SimError e) {
      page(ctx, e.getMessage());
    }
  }

  private void onboard(RoutingContext ctx) {
    JsonObject link;
    try {
      link = store.get(ctx.pathParam("link"), "x_sim_account_link");
    } catch (SimError e) {
      html(ctx, 404, "<p>This onboarding link is unknown.</p>");
      return;
    }
    JsonObject account = store.get(link.getString("account"), "account");
    if (!account.getBoolean("charges_enabled")) {
      checkout.completeOnboarding(account);
    }
    String back = link.getString("return_url");
    if (back == null) {
      html(ctx, 200, "<p>Onboarding of " + escape(account.getString("id")) + " complete.</p>");
    } else {
      ctx.redirect(back);
    }
  }

  private static void redirect(RoutingContext ctx, String url, String sessionId) {
    if (url == null) {
      html(ctx, 200, "<p>Done. You can close this page.</p>");
      return;
    }
    ctx.response().setStatusCode(303).putHeader("Location", url.replace("{CHECKOUT_SESSION_ID}", sessionId)).end();
  }

  private static String button(String id, String action, String label) {
    return "<form method=\"post\" action=\"/checkout/" + id + "/" + action + "\"><button type=\"submit\">" + label
        + "</button></form>";
  }

  private static void html(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
        .end("<!doctype html><html><head><meta charset=\"utf-8\"><title>Stripe simulator</title></head><body>"
            + body + "</body></html>");
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
