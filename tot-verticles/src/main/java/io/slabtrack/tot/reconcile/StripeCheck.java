package io.slabtrack.tot.reconcile;

import io.slabtrack.cluster.reconcile.CapturedOrders;
import io.slabtrack.cluster.reconcile.LostStripeEvents;
import io.slabtrack.cluster.settlement.StripeEventFlow;
import io.slabtrack.cluster.reconcile.UnmatchedCaptures;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.tot.settle.StripeWebhookRoutes;
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
 * {@code tot.reconcile.stripe}: the Stripe events of ToT's webhook types that never reached (or were never
 * processed by) {@code POST /api/stripe/webhook}. {@code mode: "heal"} applies them, oldest first, through the
 * webhook's own {@link StripeWebhookRoutes#process}, so a lost authorization settles the play exactly as its
 * delivery would have. A play paid on a hosted Checkout page is found by the play id in its session's (and its
 * PaymentIntent's) metadata: its PaymentIntent id is on the play only once one of those events was applied.
 */
public final class StripeCheck implements Function<JsonObject, Future<JsonObject>> {
  private static final Logger LOG = LoggerFactory.getLogger(StripeCheck.class);

  /**
   * Who a PaymentIntent (or a play named in an event's metadata) belongs to on our side; charges and disputes carry
   * no playId, only the intent's id.
   */
  static final String OWNERS = """
      SELECT p.payment_intent_id, p.id AS play_id, p.status AS play_status, o.id AS order_id, o.status AS order_status
      FROM plays p LEFT JOIN orders o ON o.play_id = p.id WHERE p.payment_intent_id = ANY($1) OR p.id = ANY($2)""";
  /** What this app recorded as captured per PaymentIntent, for the reconciler's capture check. */
  static final String CAPTURED_ORDERS =
      "SELECT payment_intent_id, id, captured_cents FROM orders WHERE payment_intent_id = ANY($1)";

  private final StripeGateway stripe;
  private final Pool pool;
  private final LostStripeEvents lost;
  private final UnmatchedCaptures captures;
  private final StripeWebhookRoutes webhook;

  public StripeCheck(StripeGateway stripe, Pool pool, StripeWebhookRoutes webhook) {
    this.stripe = stripe;
    this.pool = pool;
    this.webhook = webhook;
    this.lost = new LostStripeEvents(stripe, pool);
    this.captures = new UnmatchedCaptures(stripe, pool, CapturedOrders.query(pool, CAPTURED_ORDERS));
  }

  private record Owner(String playId, String playStatus, String orderId, String orderStatus) {
  }

  @Override
  public Future<JsonObject> apply(JsonObject body) {
    boolean heal = LostStripeEvents.healMode(body);
    Duration window = LostStripeEvents.window(body);
    Duration grace = UnmatchedCaptures.grace(body);
    if (!stripe.configured()) {
      return Future.succeededFuture(Pages.reply(new JsonArray(), null).put("configured", false));
    }
    return lost.scan(window, StripeWebhookRoutes.HANDLED_TYPES, StripeCheck::mayBeOurs)
        .compose(scan -> owners(scan.unprocessed()).compose(owners -> {
          // a charge or dispute is ours only if its PaymentIntent is a play's (Storefront shares the account)
          List<JsonObject> ours = scan.unprocessed().stream()
              .filter(e -> namesPlay(e) || owners.containsKey(intentId(e)))
              .toList();
          Future<JsonArray> items = heal ? healAll(ours, owners) : Future.succeededFuture(report(ours, owners));
          return items.map(list -> Pages.reply(list, null).put("configured", true).put("listedEvents",
              scan.listed()));
        }))
        .compose(reply -> captures.find(window, grace, "tot").map(found -> reply.put("captures", found)));
  }

  /**
   * Cheap first cut, on the event alone: ToT's intents and Checkout Sessions carry {@code metadata.playId};
   * charges name an intent.
   */
  private static boolean mayBeOurs(JsonObject event) {
    return namesPlay(event) || !carriesMetadata(event) && intentId(event) != null;
  }

  private static boolean carriesMetadata(JsonObject event) {
    String type = event.getString("type", "");
    return type.startsWith("payment_intent.") || type.startsWith("checkout.session.");
  }

  /** A PaymentIntent or Checkout Session event naming a play in its metadata (only ToT puts a playId there). */
  private static boolean namesPlay(JsonObject event) {
    return carriesMetadata(event) && playId(event) != null;
  }

  private static String playId(JsonObject event) {
    return object(event).getJsonObject("metadata", new JsonObject()).getString("playId");
  }

  /** Owners by PaymentIntent id and by play id (a checkout play's intent may not be recorded yet). */
  private Future<Map<String, Owner>> owners(List<JsonObject> events) {
    String[] intents = events.stream().map(StripeCheck::intentId).filter(id -> id != null).distinct()
        .toArray(String[]::new);
    String[] plays = events.stream().filter(StripeCheck::carriesMetadata).map(StripeCheck::playId)
        .filter(id -> id != null).distinct().toArray(String[]::new);
    if (intents.length == 0 && plays.length == 0) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(OWNERS).execute(Tuple.tuple().addArrayOfString(intents).addArrayOfString(plays)).map(rows -> {
      Map<String, Owner> out = new HashMap<>();
      for (Row r : rows) {
        Owner owner = new Owner(r.getString("play_id"), r.getString("play_status"), r.getString("order_id"),
            r.getString("order_status"));
        out.put("play:" + owner.playId(), owner);
        if (r.getString("payment_intent_id") != null) {
          out.put(r.getString("payment_intent_id"), owner);
        }
      }
      return out;
    });
  }

  private static Owner ownerOf(JsonObject event, Map<String, Owner> owners) {
    Owner byIntent = intentId(event) == null ? null : owners.get(intentId(event));
    return byIntent != null || !carriesMetadata(event) ? byIntent : owners.get("play:" + playId(event));
  }

  private static JsonArray report(List<JsonObject> events, Map<String, Owner> owners) {
    JsonArray items = new JsonArray();
    events.forEach(e -> items.add(item(e, owners).put("healed", false).putNull("outcome")));
    return items;
  }

  /** Through the webhook's shared heal loop (one at a time, oldest first; a failure is reported, the rest go on). */
  private Future<JsonArray> healAll(List<JsonObject> events, Map<String, Owner> owners) {
    return webhook.heal(events).compose(healed -> {
      JsonArray items = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (StripeEventFlow.Healed h : healed) {
        chain = chain.compose(x -> describe(h, item(h.event(), owners)).map(items::add).mapEmpty());
      }
      return chain.map(items);
    });
  }

  private Future<JsonObject> describe(StripeEventFlow.Healed healed, JsonObject item) {
    JsonObject event = healed.event();
    if (healed.failure() != null) {
      LOG.warn("lost stripe event {} {} not healed: {}", event.getString("id"), event.getString("type"),
          healed.failure().toString());
      return Future.succeededFuture(item.put("healed", false).put("outcome", "failed: " + healed.failure().getMessage()));
    }
    if (!healed.applied()) {
      return Future.succeededFuture(item.put("healed", false).put("outcome", "already processed"));
    }
    LOG.info("healed lost stripe event {} {}", event.getString("id"), event.getString("type"));
    return owners(List.of(event)).map(now -> item.put("healed", true).put("outcome", "applied" + state(now
        .get(intentId(event)))));
  }

  private static String state(Owner owner) {
    if (owner == null) {
      return "";
    }
    return "; play " + owner.playStatus() + (owner.orderId() == null ? "" : ", order " + owner.orderStatus());
  }

  private static JsonObject item(JsonObject event, Map<String, Owner> owners) {
    JsonObject object = object(event);
    Owner owner = ownerOf(event, owners);
    String playId = owner != null ? owner.playId() : playId(event);
    // the order id is the orderRef core knows; before the reveal there is only the play
    String orderRef = owner != null && owner.orderId() != null ? owner.orderId() : playId;
    Long created = event.getLong("created");
    return new JsonObject().put("eventId", event.getString("id")).put("type", event.getString("type"))
        .put("paymentIntentId", intentId(event)).put("orderRef", orderRef).put("amountCents", amount(event))
        .put("created", created == null ? null : Instant.ofEpochSecond(created).toString());
  }

  private static Long amount(JsonObject event) {
    JsonObject object = object(event);
    String type = event.getString("type", "");
    return "charge.refunded".equals(type) ? object.getLong("amount_refunded")
        : type.startsWith("checkout.session.") ? object.getLong("amount_total") : object.getLong("amount");
  }

  /** The PaymentIntent an event is about (a session's is null until the buyer pays). */
  private static String intentId(JsonObject event) {
    JsonObject object = object(event);
    Object id = event.getString("type", "").startsWith("payment_intent.") ? object.getValue("id")
        : object.getValue("payment_intent");
    return id instanceof String s ? s : null;
  }

  private static JsonObject object(JsonObject event) {
    JsonObject data = event.getJsonObject("data");
    JsonObject object = data == null ? null : data.getJsonObject("object");
    return object == null ? new JsonObject() : object;
  }
}
