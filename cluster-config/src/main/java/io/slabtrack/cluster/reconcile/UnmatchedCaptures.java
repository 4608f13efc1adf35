package io.slabtrack.cluster.reconcile;

import io.slabtrack.cluster.stripe.StripeGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Money Stripe captured for this app that no order accounts for: every {@code payment_intent.succeeded} of the window
 * whose PaymentIntent carries our {@code metadata.app}, against what the app recorded ({@link CapturedOrders}, the
 * app's own lookup of its orders). A capture with no order, or one whose order records another amount, is a
 * money_mismatch for a person: the reconciler never moves money by itself.
 */
public final class UnmatchedCaptures {
  private final LostStripeEvents events;
  private final CapturedOrders orders;

  /** @param pool the app's database (its processed Stripe events); {@code orders} looks up the app's orders */
  public UnmatchedCaptures(StripeGateway stripe, Pool pool, CapturedOrders orders) {
    this.events = new LostStripeEvents(stripe, pool);
    this.orders = orders;
  }

  /**
   * @param app   the {@code metadata.app} our PaymentIntents carry ({@code tot}, {@code storefront})
   * @param grace captures newer than this are skipped: the order may be recording its capture right now
   * @return {@code [{paymentIntentId, amountCents, orderRef, orderCapturedCents, problem, created}]}
   */
  public Future<JsonArray> find(Duration window, Duration grace, String app) {
    long newest = Instant.now().minus(grace).getEpochSecond();
    return events.list(window, List.of("payment_intent.succeeded")).compose(listed -> {
      Map<String, JsonObject> captured = new LinkedHashMap<>();
      for (JsonObject event : listed) {
        JsonObject pi = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
        JsonObject metadata = pi.getValue("metadata") instanceof JsonObject m ? m : new JsonObject();
        if (app.equals(metadata.getValue("app")) && event.getLong("created", 0L) <= newest) {
          captured.putIfAbsent(pi.getString("id"), pi.put("x_event_created", event.getLong("created")));
        }
      }
      if (captured.isEmpty()) {
        return Future.succeededFuture(new JsonArray());
      }
      return orders.byPaymentIntent(List.copyOf(captured.keySet()))
          .map(recorded -> {
            JsonArray findings = new JsonArray();
            captured.forEach((id, pi) -> {
              long amount = pi.getLong("amount_received", 0L);
              CapturedOrders.Captured order = recorded.get(id);
              String problem = order == null ? "capture_without_order"
                  : order.capturedCents() != amount ? "capture_differs_from_order" : null;
              if (problem != null) {
                findings.add(new JsonObject().put("paymentIntentId", id).put("amountCents", amount)
                    .put("orderRef", order == null ? null : order.orderRef())
                    .put("orderCapturedCents", order == null ? null : order.capturedCents())
                    .put("problem", problem)
                    .put("created", Instant.ofEpochSecond(pi.getLong("x_event_created")).toString()));
              }
            });
            return findings;
          });
    });
  }

  public static final int DEFAULT_GRACE_SECONDS = 60;

  /** Reads {@code graceSeconds} (0…86400, default 60) from a reconcile request. */
  public static Duration grace(JsonObject request) {
    Object g = request.getValue("graceSeconds");
    if (g == null) {
      return Duration.ofSeconds(DEFAULT_GRACE_SECONDS);
    }
    if (!(g instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0 || n.longValue() > 86_400) {
      throw io.slabtrack.cluster.http.ApiErrors.invalidField("graceSeconds",
          "graceSeconds must be an integer from 0 to 86400");
    }
    return Duration.ofSeconds(n.longValue());
  }
}
