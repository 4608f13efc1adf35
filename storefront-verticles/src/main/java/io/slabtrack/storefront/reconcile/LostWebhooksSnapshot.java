package io.slabtrack.storefront.reconcile;

import io.slabtrack.cluster.reconcile.CapturedOrders;
import io.slabtrack.cluster.reconcile.LostStripeEvents;
import io.slabtrack.cluster.settlement.StripeEventFlow;
import io.slabtrack.cluster.reconcile.UnmatchedCaptures;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.storefront.settle.StripeOrderKeys;
import io.slabtrack.storefront.settle.StripeWebhook;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code storefront.reconcile.stripe}: the platform events of the order webhook's types that concern a Storefront order
 * and never reached {@code stripe_events}; with {@code mode: "heal"} each is applied, oldest first, through
 * {@link StripeWebhook#process} — the webhook's own code after its signature check — so it settles the order exactly as
 * a delivery would and a late delivery is a replay. Connect events (an {@code account}) belong to ConnectRoutes'
 * webhook and are left out. Stripe is called (through the gateway's workers) before any database work; no connection
 * is held across it.
 */
final class LostWebhooksSnapshot implements Function<JsonObject, Future<JsonObject>> {
  private static final Logger LOG = LoggerFactory.getLogger(LostWebhooksSnapshot.class);
  /** Which of the events' orders exist: the webhook's lookup rule (StripeOrderKeys), for all events in one query. */
  static final String ORDERS = "SELECT id, payment_intent_id, charge_id FROM orders "
      + "WHERE id = ANY($1) OR payment_intent_id = ANY($2) OR charge_id = ANY($3)";
  /** What this app recorded as captured per PaymentIntent, for the reconciler's capture check. */
  static final String CAPTURED_ORDERS =
      "SELECT payment_intent_id, id, captured_cents FROM orders WHERE payment_intent_id = ANY($1)";

  private final StripeGateway stripe;
  private final Pool pool;
  private final StripeWebhook webhook;
  private final LostStripeEvents lost;
  private final UnmatchedCaptures captures;

  LostWebhooksSnapshot(StripeGateway stripe, Pool pool, StripeWebhook webhook) {
    this.stripe = stripe;
    this.pool = pool;
    this.webhook = webhook;
    this.lost = new LostStripeEvents(stripe, pool);
    this.captures = new UnmatchedCaptures(stripe, pool, CapturedOrders.query(pool, CAPTURED_ORDERS));
  }

  @Override
  public Future<JsonObject> apply(JsonObject body) {
    boolean heal = LostStripeEvents.healMode(body);
    Duration window = LostStripeEvents.window(body);
    Duration grace = UnmatchedCaptures.grace(body);
    if (!stripe.configured()) {
      return Future.succeededFuture(Snapshots.page(new JsonArray(), null).put("configured", false));
    }
    // the cheap part of "ours" first (no order key at all can't be ours); the database part on what's unprocessed
    return lost.scan(window, StripeWebhook.HANDLED_TYPES,
            e -> e.getValue("account") == null && !StripeOrderKeys.of(object(e)).empty())
        .compose(scan -> orderRefs(scan.unprocessed()).compose(refs -> {
          List<JsonObject> ours = scan.unprocessed().stream().filter(e -> refs.containsKey(e.getString("id"))).toList();
          return (heal ? heal(ours, refs) : Future.succeededFuture(report(ours, refs)))
              .map(items -> Snapshots.page(items, null).put("configured", true).put("listedEvents", scan.listed()));
        }))
        .compose(reply -> captures.find(window, grace, "storefront").map(found -> reply.put("captures", found)));
  }

  /** Event id → the order it belongs to, for the events that belong to one (the others are not ours). */
  private Future<Map<String, String>> orderRefs(List<JsonObject> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<StripeOrderKeys> keys = events.stream().map(e -> StripeOrderKeys.of(object(e))).toList();
    String[] ids = keys.stream().map(StripeOrderKeys::orderId).filter(s -> s != null).toArray(String[]::new);
    String[] pis = keys.stream().map(StripeOrderKeys::paymentIntentId).filter(s -> s != null).toArray(String[]::new);
    String[] charges = keys.stream().map(StripeOrderKeys::chargeId).filter(s -> s != null).toArray(String[]::new);
    return pool.preparedQuery(ORDERS).execute(Tuple.of(ids, pis, charges)).map(rows -> {
      Map<String, String> byId = new HashMap<>();
      Map<String, String> byPi = new HashMap<>();
      Map<String, String> byCharge = new HashMap<>();
      for (Row r : rows) {
        String id = r.getString("id");
        byId.put(id, id);
        if (r.getString("payment_intent_id") != null) {
          byPi.put(r.getString("payment_intent_id"), id);
        }
        if (r.getString("charge_id") != null) {
          byCharge.put(r.getString("charge_id"), id);
        }
      }
      Map<String, String> refs = new HashMap<>();
      for (int i = 0; i < events.size(); i++) {
        StripeOrderKeys k = keys.get(i);
        // as StripeWebhook.find: metadata naming our order decides alone; else the PaymentIntent or the charge
        String order = k.orderId() != null ? byId.get(k.orderId())
            : k.paymentIntentId() != null && byPi.containsKey(k.paymentIntentId()) ? byPi.get(k.paymentIntentId())
            : k.chargeId() == null ? null : byCharge.get(k.chargeId());
        if (order != null) {
          refs.put(events.get(i).getString("id"), order);
        }
      }
      return refs;
    });
  }

  private static JsonArray report(List<JsonObject> events, Map<String, String> refs) {
    JsonArray items = new JsonArray();
    events.forEach(e -> items.add(item(e, refs).put("healed", false)));
    return items;
  }

  /** Through the webhook's shared heal loop (one at a time, oldest first; a failure is reported, not fatal). */
  private Future<JsonArray> heal(List<JsonObject> events, Map<String, String> refs) {
    return webhook.heal(events).map(healed -> {
      JsonArray items = new JsonArray();
      for (StripeEventFlow.Healed h : healed) {
        JsonObject event = h.event();
        JsonObject item = item(event, refs);
        if (h.failure() == null) {
          // a replay: the real delivery landed between the scan and now, so we did not heal it
          item.put("healed", h.applied()).put("outcome", h.outcome());
        } else {
          LOG.warn("healing Stripe event {} ({}) failed", event.getString("id"), event.getString("type"), h.failure());
          item.put("healed", false).put("outcome", "failed: " + h.failure().getMessage());
        }
        LOG.info("reconcile: lost Stripe event {} {} for order {}: {}", event.getString("id"), event.getString("type"),
            refs.get(event.getString("id")), item.getString("outcome"));
        items.add(item);
      }
      return items;
    });
  }

  private static JsonObject item(JsonObject event, Map<String, String> refs) {
    JsonObject object = object(event);
    Object amount = "checkout.session".equals(object.getString("object")) ? object.getValue("amount_total")
        : object.getValue("amount");
    return new JsonObject().put("eventId", event.getString("id")).put("type", event.getString("type"))
        .put("paymentIntentId", StripeOrderKeys.of(object).paymentIntentId())
        .put("orderRef", refs.get(event.getString("id")))
        .put("amountCents", amount instanceof Number n ? n.longValue() : null)
        .put("created", event.getValue("created") instanceof Number n ? Instant.ofEpochSecond(n.longValue()).toString()
            : null);
  }

  private static JsonObject object(JsonObject event) {
    return event.getValue("data") instanceof JsonObject data && data.getValue("object") instanceof JsonObject o
        ? o : new JsonObject();
  }
}
