package io.slabtrack.storefront.orders;

import io.slabtrack.storefront.settle.OrderCancel;
import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.VerifiedToken;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.validation.Paging;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * Checkout, the Stripe webhook, the owner's orders (list, detail, refund, ship, deliver) and the buyer's status and
 * cancel links.
 */
public final class OrderRoutes {
  private final Orders orders;
  private final ShopOrders shopOrders;

  private OrderRoutes(Orders orders, ShopOrders shopOrders) {
    this.orders = orders;
    this.shopOrders = shopOrders;
  }

  public static void mount(Router router, AppContext ctx, Orders orders, ShopOrders shopOrders) {
    OrderRoutes routes = new OrderRoutes(orders, shopOrders);
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
    Paging paging = Paging.of(rc.queryParams());
    int limit = paging.limit();
    int offset = paging.offset();
    shopOrders.list(rc.pathParam("slug"), who, rc.queryParams().get("state"), limit, offset).onSuccess(list -> {
      JsonArray items = new JsonArray();
      list.forEach(order -> items.add(order.ownerJson()));
      Responses.ok(rc, new JsonObject().put("items", items).put("limit", limit).put("offset", offset));
    }).onFailure(rc::fail);
  }

  private void detail(RoutingContext rc) {
    owned(rc).compose(order -> shopOrders.items(order).map(items -> {
      JsonArray out = new JsonArray();
      items.forEach(i -> out.add(new JsonObject().put("cardId", i.cardId()).put("priceCents", i.priceCents())
          .put("card", i.snapshot())));
      return order.ownerJson().put("items", out);
    })).onSuccess(body -> Responses.ok(rc, body)).onFailure(rc::fail);
  }

  /** Full (no body / no amount) or partial ({@code amountCents}); see {@link ShopOrders#refund}. */
  private void refund(RoutingContext rc) {
    JsonObject body = rc.body().length() <= 0 ? new JsonObject() : JsonBody.object(rc);
    Object rawAmount = body.getValue("amountCents");
    if (rawAmount != null && !(rawAmount instanceof Number n && n.longValue() > 0 && n.doubleValue() == n.longValue())) {
      throw ApiErrors.invalidField("amountCents", "amountCents must be whole cents > 0");
    }
    shopOrders.refund(rc.pathParam("slug"), rc.pathParam("orderId"), AuthHandlers.principal(rc),
            rawAmount == null ? null : ((Number) rawAmount).longValue(), rc.request().getHeader("Idempotency-Key"))
        .onSuccess(order -> Responses.ok(rc, order.ownerJson())).onFailure(rc::fail);
  }

  private void ship(RoutingContext rc) {
    JsonObject body = JsonBody.object(rc);
    String carrier = ShopOrders.shipmentField("carrier", body.getValue("carrier"));
    String tracking = ShopOrders.shipmentField("trackingNumber", body.getValue("trackingNumber"));
    shopOrders.ship(rc.pathParam("slug"), rc.pathParam("orderId"), AuthHandlers.principal(rc), carrier, tracking)
        .onSuccess(order -> Responses.ok(rc, order.ownerJson())).onFailure(rc::fail);
  }

  /** shipped → delivered, optionally at the carrier's {@code deliveredAt}; see {@link Deliveries}. */
  private void deliver(RoutingContext rc) {
    JsonObject body = rc.body().length() <= 0 ? new JsonObject() : JsonBody.object(rc);
    Instant at = Deliveries.deliveredAt(body);
    shopOrders.deliver(rc.pathParam("slug"), rc.pathParam("orderId"), AuthHandlers.principal(rc), at)
        .onSuccess(order -> Responses.ok(rc, order.ownerJson())).onFailure(rc::fail);
  }

  /** The buyer's private link: the order's token or nothing (404 either way, so ids can't be probed). */
  private void buyerStatus(RoutingContext rc) {
    orders.checkout().forBuyer(rc.pathParam("orderId"), rc.queryParams().get("token"))
        .onSuccess(order -> Responses.ok(rc, order.buyerJson())).onFailure(rc::fail);
  }

  /** The buyer gives the cards back before paying: the order, cancelled; 409 once paid (OrderCancel). */
  private void cancel(RoutingContext rc) {
    orders.cancels().cancel(rc.pathParam("orderId"), rc.queryParams().get("token"))
        .onSuccess(order -> Responses.ok(rc, order.buyerJson())).onFailure(rc::fail);
  }

  private Future<Order> owned(RoutingContext rc) {
    return shopOrders.owned(rc.pathParam("slug"), rc.pathParam("orderId"), AuthHandlers.principal(rc));
  }
}
