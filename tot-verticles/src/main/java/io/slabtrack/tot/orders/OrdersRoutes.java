package io.slabtrack.tot.orders;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.validation.Paging;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.tot.fairness.Fairness;
import io.slabtrack.tot.listings.SpreadPolicy;
import io.slabtrack.tot.settle.OrderLedgerEvents;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The operator's orders and plays (session, operator role) and the buyer's private status link
 * ({@code GET /api/orders/{id}?token=…}, no login: the token from the receipt is the credential).
 */
public final class OrdersRoutes {
  private static final Set<String> STATUSES = Set.of("awaiting_confirmation", "paid", "shipped", "delivered",
      "refunded", "partially_refunded", "disputed", "cancelled", "capture_failed");
  private static final Set<String> PLAY_STATUSES = Set.of("COMMITTED", "AWAITING_CONFIRMATION", "SETTLED", "VOID",
      "FAILED");

  private final Pool pool;
  private final Refunds refunds;
  private final SpreadPolicy spreads;
  private final BuyerOrders buyers;

  public OrdersRoutes(Pool pool, StripeGateway stripe, SpreadPolicy spreads) {
    this.pool = pool;
    this.refunds = new Refunds(pool, stripe);
    this.spreads = spreads;
    this.buyers = new BuyerOrders(pool);
  }

  public void mount(Router router, Handler<RoutingContext> operator) {
    router.get("/api/orders/:id").handler(this::buyerView);
    router.get("/api/admin/orders").handler(operator).handler(this::list);
    router.get("/api/admin/orders/:id").handler(operator).handler(this::detail);
    router.post("/api/admin/orders/:id/refund").handler(operator).handler(this::refund);
    router.post("/api/admin/orders/:id/ship").handler(operator).handler(this::ship);
    router.get("/api/admin/plays").handler(operator).handler(this::plays);
    router.get("/api/admin/payments/failed").handler(operator).handler(this::failedPayments);
    router.post("/api/admin/normalize-lot-spreads").handler(operator).handler(this::normalizeLotSpreads);
  }

  private void buyerView(RoutingContext ctx) {
    buyers.find(ctx.pathParam("id"), ctx.queryParams().get("token")).compose(order -> Responses.ok(ctx, order))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    String status = ctx.queryParams().get("status");
    if (status != null && !STATUSES.contains(status)) {
      throw ApiErrors.invalidField("status", "unknown order status '" + status + "'");
    }
    Paging paging = Paging.of(ctx.queryParams());
    long limit = paging.limit();
    long offset = paging.offset();
    pool.preparedQuery(OrdersSql.COUNT).execute(Tuple.of(status))
        .compose(count -> pool.preparedQuery(OrdersSql.PAGE).execute(Tuple.of(status, limit, offset)).map(rows -> {
          JsonArray items = new JsonArray();
          rows.forEach(r -> items.add(OrderJson.operator(r)));
          return new JsonObject().put("items", items).put("total", count.iterator().next().getLong(0))
              .put("limit", limit).put("offset", offset);
        }))
        .compose(body -> Responses.ok(ctx, body)).onFailure(ctx::fail);
  }

  private void detail(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    pool.preparedQuery(OrdersSql.BY_ID).execute(Tuple.of(id)).compose(rows -> {
      if (rows.rowCount() == 0) {
        throw ApiErrors.notFound("Order");
      }
      JsonObject order = OrderJson.operator(rows.iterator().next());
      return pool.preparedQuery(OrdersSql.DISPUTES).execute(Tuple.of(id)).map(disputes -> {
        JsonArray log = new JsonArray();
        disputes.forEach(d -> log.add(OrderJson.dispute(d)));
        return order.put("disputes", log);
      });
    }).compose(body -> Responses.ok(ctx, body)).onFailure(ctx::fail);
  }

  /**
   * Full (no amount: everything still refundable) or partial ({@code amount} cents), as many as the captured amount
   * allows; the {@code Idempotency-Key} header makes a retry of the same refund refund once ({@link Refunds}).
   */
  private void refund(RoutingContext ctx) {
    JsonObject body = ctx.body().length() == 0 ? new JsonObject() : JsonBody.object(ctx);
    Object rawAmount = body.getValue("amount");
    if (rawAmount != null && (!(rawAmount instanceof Number n) || n.doubleValue() != n.longValue()
        || n.longValue() <= 0)) {
      throw ApiErrors.invalidField("amount", "amount must be a positive integer (cents)");
    }
    String key = ctx.request().getHeader("Idempotency-Key");
    if (key != null && (key.isBlank() || key.length() > 200)) {
      throw ApiErrors.badRequest("invalid_idempotency_key", "Idempotency-Key must be 1-200 characters", null);
    }
    refunds.refund(ctx.pathParam("id"), rawAmount == null ? null : ((Number) rawAmount).longValue(), key)
        .compose(order -> Responses.ok(ctx, order)).onFailure(ctx::fail);
  }

  private void ship(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject body = JsonBody.object(ctx);
    String carrier = text(body, "carrier", 40);
    String tracking = text(body, "trackingNumber", 100);
    pool.withTransaction(tx -> Shipments.markShipped(tx, id, carrier, tracking, null))
        .compose(order -> Responses.ok(ctx, order)).onFailure(ctx::fail);
  }

  private void plays(RoutingContext ctx) {
    String status = ctx.queryParams().get("status");
    if (status != null && !PLAY_STATUSES.contains(status)) {
      throw ApiErrors.invalidField("status", "unknown play status '" + status + "'");
    }
    Paging paging = Paging.of(ctx.queryParams());
    pool.preparedQuery(OrdersSql.PLAYS).execute(Tuple.of(status, (long) paging.limit(), (long) paging.offset()))
        .compose(rows -> {
          JsonArray items = new JsonArray();
          rows.forEach(r -> items.add(OrderJson.play(r)));
          return Responses.ok(ctx, new JsonObject().put("items", items));
        }).onFailure(ctx::fail);
  }

  private void failedPayments(RoutingContext ctx) {
    pool.preparedQuery(OrdersSql.FAILED_PAYMENTS).execute().compose(rows -> {
      JsonArray items = new JsonArray();
      rows.forEach(r -> items.add(OrderJson.play(r).put("orderId", r.getString("order_id"))
          .put("orderStatus", r.getString("order_status"))));
      return Responses.ok(ctx, new JsonObject().put("items", items));
    }).onFailure(ctx::fail);
  }

  /** Every lot back to the default spread, prices recomputed with the published formulas. */
  private void normalizeLotSpreads(RoutingContext ctx) {
    var spread = spreads.defaultSpread();
    pool.withTransaction(tx -> tx.preparedQuery(OrdersSql.LOTS_FOR_UPDATE).execute().compose(rows -> {
      List<Tuple> updates = new ArrayList<>();
      for (Row r : rows) {
        long value = r.getLong("card_value");
        updates.add(Tuple.of(r.getLong("id"), spread, Fairness.winPrice(value, spread),
            Fairness.losePrice(value, spread)));
      }
      return updates.isEmpty() ? Future.succeededFuture(0)
          : tx.preparedQuery(OrdersSql.SET_PRICES).executeBatch(updates).map(x -> updates.size());
    })).compose(n -> Responses.ok(ctx, new JsonObject().put("updated", n)
        .put("spread", spread.stripTrailingZeros().toPlainString()))).onFailure(ctx::fail);
  }

  private static String text(JsonObject body, String field, int max) {
    Object v = body.getValue(field);
    if (!(v instanceof String s) || s.isBlank() || s.length() > max) {
      throw ApiErrors.invalidField(field, field + " is required (1–" + max + " characters)");
    }
    return s.trim();
  }
}
