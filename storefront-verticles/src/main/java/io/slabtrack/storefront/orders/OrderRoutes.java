package io.slabtrack.storefront.orders;

import com.stripe.param.RefundCreateParams;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.storefront.shops.Shops;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Checkout, the Stripe webhook, the owner's orders (list, detail, refund, ship, deliver) and the buyer's status and
 * cancel links.
 */
public final class OrderRoutes {
  private static final Set<String> STATES = Set.of("pending", "awaiting_confirmation", "paid", "shipped", "delivered",
      "cancelled", "refunded", "disputed");
  private final Pool pool;
  private final Checkout checkout;
  private final StripeGateway stripe;
  private final Settlement settlement;
  private final Deliveries deliveries;
  private final Orders orders;

  private OrderRoutes(Pool pool, Orders orders) {
    this.pool = pool;
    this.orders = orders;
    this.checkout = orders.checkout();
    this.stripe = orders.stripe().gateway();
    this.settlement = orders.settlement();
    this.deliveries = new Deliveries(pool);
  }

  public static void mount(Router router, AppContext ctx, Orders orders) {
    OrderRoutes routes = new OrderRoutes(ctx.pool(), orders);
    router.post("/api/storefronts/:slug/checkout").handler(routes::checkout);
    router.post("/api/stripe/webhook").handler(orders.webhook()::handle);
    router.get("/api/storefronts/:slug/orders").handler(ctx.auth().session()).handler(routes::list);
    router.get("/api/storefronts/:slug/orders/:orderId").handler(ctx.auth().session()).handler(routes::detail);
    router.post("/api/storefronts/:slug/orders/:orderId/refund").handler(ctx.auth().session()).handler(routes::refund);
    router.post("/api/storefronts/:slug/orders/:orderId/ship").handler(ctx.auth().session()).handler(routes::ship);
    router.post("/api/storefronts/:slug/orders/:orderId/deliver").handler(ctx.auth().session())
        .handler(routes::deliver);
    router.get("/api/orders/:orderId").handler(routes::buyerStatus);
    router.post(OrderCancel.API_PATH).handler(routes::cancel);
  }

  private void checkout(RoutingContext rc) {
    CheckoutRequest req = CheckoutRequest.parse(JsonBody.object(rc));
    String key = rc.request().getHeader("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > 200)) {
      throw ApiErrors.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1-200 characters", null);
    }
    String slug = rc.pathParam("slug");
    orders.startCheckout(rc, slug, req, key)
        .onSuccess(order -> Responses.created(rc, "/api/storefronts/" + slug + "/orders/" + order.id(),
            new JsonObject().put("orderId", order.id()).put("checkoutUrl", order.checkoutUrl())
                .put("state", order.state()).put("amountCents", order.amountCents())
                // the buyer's own links: the order's status, and giving the cards back before paying
                .put("statusUrl", "/api/orders/" + order.id() + "?token=" + order.buyerToken())
                .put("cancelUrl", "/api" + OrderCancel.cancelPath(order))))
        .onFailure(rc::fail);
  }

  private void list(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    String state = rc.queryParams().get("state");
    if (state != null && !STATES.contains(state)) {
      throw ApiErrors.invalidField("state", "state must be one of " + STATES);
    }
    int limit = bounded(rc, "limit", 50, 1, 200);
    int offset = bounded(rc, "offset", 0, 0, 1_000_000);
    String slug = rc.pathParam("slug");
    Shops.get(pool, slug).compose(shop -> {
      shop.requireAccess(who);
      return pool.preparedQuery(OrderSql.LIST).execute(Tuple.of(slug, state, limit, offset));
    }).onSuccess(rows -> {
      JsonArray items = new JsonArray();
      rows.forEach(r -> items.add(Order.of(r).ownerJson()));
      Responses.ok(rc, new JsonObject().put("items", items).put("limit", limit).put("offset", offset));
    }).onFailure(rc::fail);
  }

  private void detail(RoutingContext rc) {
    owned(rc).compose(order -> checkout.items(order.id()).map(items -> {
      JsonArray out = new JsonArray();
      items.forEach(i -> out.add(new JsonObject().put("cardId", i.cardId()).put("priceCents", i.priceCents())
          .put("card", i.snapshot())));
      return order.ownerJson().put("items", out);
    })).onSuccess(body -> Responses.ok(rc, body)).onFailure(rc::fail);
  }

  /**
   * Full (no body / no amount) or partial ({@code amountCents}); {@code reverse_transfer} and
   * {@code refund_application_fee} so the seller and the platform each give back their part. The idempotency key
   * is derived from the order (and the caller's Idempotency-Key for partial refunds): a double click refunds once.
   */
  private void refund(RoutingContext rc) {
    JsonObject body = rc.body().length() <= 0 ? new JsonObject() : JsonBody.object(rc);
    Object rawAmount = body.getValue("amountCents");
    if (rawAmount != null && !(rawAmount instanceof Number n && n.longValue() > 0 && n.doubleValue() == n.longValue())) {
      throw ApiErrors.invalidField("amountCents", "amountCents must be whole cents > 0");
    }
    String header = rc.request().getHeader("Idempotency-Key");
    owned(rc).compose(order -> {
      if ("refunded".equals(order.state()) && rawAmount == null) {
        return Future.succeededFuture(order); // a double click on "refund all": the first answer again
      }
      if (!order.paidState() && !"disputed".equals(order.state())) {
        throw ApiErrors.conflict("illegal_transition", "Only a paid order can be refunded (it is " + order.state() + ")");
      }
      long refundable = order.capturedCents() - order.refundedCents();
      long amount = rawAmount == null ? refundable : ((Number) rawAmount).longValue();
      if (amount <= 0 && rawAmount == null) {
        return Future.succeededFuture(order); // already fully refunded: the double click's answer
      }
      if (amount > refundable) {
        throw ApiErrors.conflict("refund_exceeds_payment", "At most " + refundable + " cents can still be refunded");
      }
      String key = stripe.keyPrefix() + "refund-" + order.id()
          + (rawAmount == null ? "" : "-" + (header != null ? header : amount + "-" + order.refundedCents()));
      RefundCreateParams params = RefundCreateParams.builder().setPaymentIntent(order.paymentIntentId())
          .setAmount(amount).setReverseTransfer(true).setRefundApplicationFee(true)
          .putMetadata("orderId", order.id()).putMetadata("app", "storefront").build();
      return stripe.createRefund(params, key).compose(refund -> pool.withTransaction(tx ->
          tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE).execute(Tuple.of(order.id()))
              .compose(rows -> settlement.refund(tx, Checkout.first(rows), refund.getId(), refund.getAmount())))
          .compose(x -> checkout.order(order.id())));
    }).onSuccess(order -> Responses.ok(rc, order.ownerJson())).onFailure(rc::fail);
  }

  private void ship(RoutingContext rc) {
    JsonObject body = JsonBody.object(rc);
    for (String field : List.of("carrier", "trackingNumber")) {
      if (!(body.getValue(field) instanceof String s) || s.isBlank() || s.length() > 100) {
        throw ApiErrors.invalidField(field, field + " is required (1-100 characters)");
      }
    }
    owned(rc).compose(order -> pool.withTransaction(tx -> tx.preparedQuery(OrderSql.BY_ID_FOR_UPDATE)
        .execute(Tuple.of(order.id())).compose(rows -> {
          Order now = Checkout.first(rows);
          if (!"paid".equals(now.state())) {
            throw ApiErrors.conflict("illegal_transition", "Only a paid order can be shipped (it is " + now.state() + ")");
          }
          JsonObject shipment = new JsonObject().put("carrier", body.getString("carrier").strip())
              .put("trackingNumber", body.getString("trackingNumber").strip())
              .put("shippedAt", Instant.now().toString());
          return tx.preparedQuery(OrderSql.SHIP).execute(Tuple.of(now.id(), shipment))
              .compose(x -> Ledger.record(tx, now, "shipped", null));
        })).compose(x -> checkout.order(order.id())))
        .onSuccess(order -> Responses.ok(rc, order.ownerJson())).onFailure(rc::fail);
  }

  /** shipped → delivered, optionally at the carrier's {@code deliveredAt}; see {@link Deliveries}. */
  private void deliver(RoutingContext rc) {
    JsonObject body = rc.body().length() <= 0 ? new JsonObject() : JsonBody.object(rc);
    Instant at = Deliveries.deliveredAt(body);
    owned(rc).compose(order -> deliveries.deliver(order.id(), at).compose(x -> checkout.order(order.id())))
        .onSuccess(order -> Responses.ok(rc, order.ownerJson())).onFailure(rc::fail);
  }

  /** The buyer's private link: the order's token or nothing (404 either way, so ids can't be probed). */
  private void buyerStatus(RoutingContext rc) {
    checkout.forBuyer(rc.pathParam("orderId"), rc.queryParams().get("token"))
        .onSuccess(order -> Responses.ok(rc, order.buyerJson())).onFailure(rc::fail);
  }

  /** The buyer gives the cards back before paying: the order, cancelled; 409 once paid (OrderCancel). */
  private void cancel(RoutingContext rc) {
    orders.cancels().cancel(rc.pathParam("orderId"), rc.queryParams().get("token"))
        .onSuccess(order -> Responses.ok(rc, order.buyerJson())).onFailure(rc::fail);
  }

  private Future<Order> owned(RoutingContext rc) {
    VerifiedToken who = AuthHandlers.principal(rc);
    String slug = rc.pathParam("slug");
    return Shops.get(pool, slug).compose(shop -> {
      shop.requireAccess(who);
      return checkout.order(rc.pathParam("orderId"));
    }).map(order -> {
      if (order == null || !order.shop().equals(slug)) {
        throw ApiErrors.notFound("Order");
      }
      return order;
    });
  }

  private static int bounded(RoutingContext rc, String name, int dflt, int min, int max) {
    String v = rc.queryParams().get(name);
    if (v == null) {
      return dflt;
    }
    try {
      int i = Integer.parseInt(v);
      if (i >= min && i <= max) {
        return i;
      }
    } catch (NumberFormatException e) {
      // the 400 below
    }
    throw ApiErrors.invalidField(name, name + " must be an integer from " + min + " to " + max);
  }
}
