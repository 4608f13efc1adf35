package io.slabtrack.simulator.stripe;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.BiFunction;

/**
 * JSON control endpoints for tests and demos: what a buyer, a card network or Stripe's own clock would do.
 * No API key; answers are the Stripe objects (or Stripe-shaped errors).
 * <ul>
 * <li>{@code POST /_sim/webhook_endpoints} {@code {url, secret, connect?, events?[]}} registers (or replaces by
 * url) a webhook endpoint; {@code connect=true} receives connected-account events ({@code account.updated}).</li>
 * <li>{@code POST /_sim/checkout/{id}/pay} {@code {payment_method?}} pays with {@code pm_card_visa} (or the given
 * test card): PaymentIntent → {@code requires_capture}, {@code payment_intent.amount_capturable_updated}, then
 * {@code checkout.session.completed} with {@code payment_status: "unpaid"}.</li>
 * <li>{@code POST /_sim/checkout/{id}/decline}: a declined card; {@code payment_intent.payment_failed}; the
 * session stays open. Answers 200 with the failed PaymentIntent.</li>
 * <li>{@code POST /_sim/payment_intents/{id}/authorize} {@code {payment_method?}} / {@code …/decline}: what
 * Stripe.js does with a client secret (ToT's direct charges).</li>
 * <li>{@code POST /_sim/expire-authorization/{pi}}: the authorization lapses (cancellation_reason
 * {@code expired}, {@code payment_intent.canceled}); a later capture is refused.</li>
 * <li>{@code POST /_sim/disputes} {@code {charge | payment_intent, amount?, reason?}} →
 * {@code charge.dispute.created}; {@code POST /_sim/disputes/{id}/close} {@code {status: won|lost}} →
 * {@code charge.dispute.closed}.</li>
 * <li>{@code POST /_sim/events/{id}/redeliver} {@code {times?}}: sends the event again (duplicates).</li>
 * <li>{@code POST /_sim/webhooks/hold}, {@code POST /_sim/webhooks/release} {@code {reversed?}}: queue events,
 * then deliver them in order or reversed (out of order).</li>
 * <li>{@code GET /_sim/deliveries}: the newest delivery attempts with their HTTP status.</li>
 * <li>{@code GET /_sim/store}: how many objects and events the simulator holds, and its bounds.</li>
 * <li>{@code POST /_sim/clock/advance} {@code {seconds}}: moves the simulator's clock (session expiry, event
 * retention) — the next sweep acts on it.</li>
 * <li>{@code POST /_sim/latency} {@code {ms, path?}}: API requests whose path starts with {@code path} (default
 * {@code /v1/}) answer {@code ms} later (a slow Stripe); {@code ms: 0} ends it.</li>
 * </ul>
 */
final class SimControlRoutes {
  private final SimStore store;
  private final SimPayments payments;
  private final SimCheckout checkout;
  private final WebhookDispatcher dispatcher;
  private final SimClock clock;
  private final SimLatency latency;

  SimControlRoutes(SimStore store, SimPayments payments, SimCheckout checkout, WebhookDispatcher dispatcher,
                   SimClock clock, SimLatency latency) {
    this.store = store;
    this.payments = payments;
    this.checkout = checkout;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.latency = latency;
  }

  void mount(Router r) {
    route(r, "/_sim/webhook_endpoints", (ctx, b) -> {
      dispatcher.register(WebhookDispatcher.Endpoint.fromJson(b));
      return new JsonObject().put("registered", b.getString("url"));
    });
    route(r, "/_sim/checkout/:id/pay", (ctx, b) -> checkout.publicView(checkout.pay(session(ctx),
        b.getString("payment_method", SimPayments.CARD_OK))));
    route(r, "/_sim/checkout/:id/decline", (ctx, b) -> declined(() -> checkout.pay(session(ctx),
        SimPayments.CARD_DECLINED), () -> store.get(session(ctx).getString("payment_intent"), "payment_intent")));
    route(r, "/_sim/payment_intents/:id/authorize", (ctx, b) -> payments.confirm(intent(ctx),
        b.getString("payment_method", SimPayments.CARD_OK)));
    route(r, "/_sim/payment_intents/:id/decline", (ctx, b) -> declined(() -> payments.confirm(intent(ctx),
        SimPayments.CARD_DECLINED), () -> intent(ctx)));
    route(r, "/_sim/expire-authorization/:id", (ctx, b) -> {
      JsonObject pi = intent(ctx);
      if (!"requires_capture".equals(pi.getString("status"))) {
        throw SimError.unexpectedState("Only an authorized (requires_capture) PaymentIntent can lapse.");
      }
      return payments.cancel(pi, "expired");
    });
    route(r, "/_sim/disputes", (ctx, b) -> payments.openDispute(strings(b)));
    route(r, "/_sim/disputes/:id/close", (ctx, b) -> payments.closeDispute(store.get(ctx.pathParam("id"), "dispute"),
        b.getString("status")));
    route(r, "/_sim/events/:id/redeliver", (ctx, b) -> {
      JsonObject event = store.event(ctx.pathParam("id"));
      dispatcher.redeliver(event, b.getInteger("times", 1));
      return event;
    });
    route(r, "/_sim/webhooks/hold", (ctx, b) -> {
      dispatcher.hold();
      return new JsonObject().put("holding", true);
    });
    route(r, "/_sim/webhooks/release", (ctx, b) -> new JsonObject()
        .put("released", dispatcher.release(b.getBoolean("reversed", false))));
    r.get("/_sim/store").handler(ctx -> StripeSimulatorVerticle.send(ctx, 200, store.sizes().encode()));
    r.get("/_sim/deliveries").handler(ctx -> StripeSimulatorVerticle.send(ctx, 200,
        new JsonObject().put("data", dispatcher.deliveries()).encode()));
    route(r, "/_sim/latency", (ctx, b) -> latency.set(b));
    route(r, "/_sim/clock/advance", (ctx, b) -> {
      clock.advance(Duration.ofSeconds(b.getLong("seconds", 0L)));
      return new JsonObject().put("now", store.now());
    });
  }

  private JsonObject session(RoutingContext ctx) {
    return store.get(ctx.pathParam("id"), "checkout.session");
  }

  private JsonObject intent(RoutingContext ctx) {
    return store.get(ctx.pathParam("id"), "payment_intent");
  }

  /** A decline is the expected outcome here, so it answers 200 with the intent rather than the card error. */
  private static JsonObject declined(Runnable attempt, java.util.function.Supplier<JsonObject> intent) {
    try {
      attempt.run();
    } catch (SimError e) {
      if (e.status() == 402) {
        return intent.get();
      }
      throw e;
    }
    throw SimError.invalid("not_declined", "The test card was not declined.", null);
  }

  /** Control bodies are JSON; the payment handlers read Stripe's string-valued params. */
  private static JsonObject strings(JsonObject b) {
    JsonObject out = new JsonObject();
    b.forEach(e -> out.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue())));
    return out;
  }

  private static void route(Router r, String path, BiFunction<RoutingContext, JsonObject, JsonObject> op) {
    r.post(path).handler(ctx -> {
      try {
        String raw = ctx.body().asString();
        JsonObject body = raw == null || raw.isBlank() ? new JsonObject() : new JsonObject(raw);
        StripeSimulatorVerticle.send(ctx, 200, op.apply(ctx, body).encode());
      } catch (SimError e) {
        StripeSimulatorVerticle.send(ctx, e.status(), e.toJson().encode());
      } catch (RuntimeException e) {
        StripeSimulatorVerticle.send(ctx, 400, SimError.invalid("invalid_body", String.valueOf(e.getMessage()),
            null).toJson().encode());
      }
    });
  }
}
