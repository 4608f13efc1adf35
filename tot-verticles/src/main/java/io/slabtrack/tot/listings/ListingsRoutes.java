package io.slabtrack.tot.listings;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.validation.Paging;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.tot.fairness.Fairness;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;

/** Public browse API and the ingest webhook (service token) that feeds the same inbox as the bus. */
public final class ListingsRoutes {
  /** A browse page of the API when the caller names no limit (the grid of the buyer pages shows as many). */
  private static final int PAGE_SIZE = 24;
  private final Vertx vertx;
  private final Pool pool;
  private final SpreadPolicy spreads;
  private final ListingsQuery query;

  public ListingsRoutes(Vertx vertx, Pool pool, SpreadPolicy spreads) {
    this(vertx, pool, spreads, new ListingsQuery(pool));
  }

  /** @param query the node's cached reads of listings, shared with the browse pages */
  public ListingsRoutes(Vertx vertx, Pool pool, SpreadPolicy spreads, ListingsQuery query) {
    this.vertx = vertx;
    this.pool = pool;
    this.spreads = spreads;
    this.query = query;
  }

  public void mount(Router router, Handler<RoutingContext> service, Handler<RoutingContext> operator) {
    router.get("/api/listings").handler(this::list);
    router.get("/api/listings/:id").handler(this::one);
    router.post("/api/webhook/ingest").handler(service).handler(this::ingest);
    router.patch("/api/admin/listings/:id/spread").handler(operator).handler(this::setSpread);
  }

  /** The operator's spread for one listing, within TOT_SPREAD_MIN..MAX; prices recomputed. */
  private void setSpread(RoutingContext ctx) {
    long id = id(ctx);
    Object raw = JsonBody.object(ctx).getValue("spread");
    BigDecimal spread;
    try {
      spread = raw instanceof Number || raw instanceof String ? new BigDecimal(raw.toString()) : null;
    } catch (NumberFormatException e) {
      spread = null;
    }
    if (spread == null || spread.scale() > 4 || !spreads.allows(spread)) {
      throw ApiErrors.invalidField("spread", "spread must be a decimal between " + spreads.min().toPlainString()
          + " and " + spreads.max().toPlainString() + " (at most 4 decimals)");
    }
    BigDecimal chosen = spread;
    pool.withTransaction(tx -> tx.preparedQuery(ListingsSql.VALUE_FOR_UPDATE).execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            throw ApiErrors.notFound("Listing");
          }
          long value = rows.iterator().next().getLong("card_value");
          return tx.preparedQuery(ListingsSql.SET_PRICES).execute(Tuple.of(id, chosen,
              Fairness.winPrice(value, chosen), Fairness.losePrice(value, chosen)));
        })
        .compose(x -> tx.preparedQuery(ListingsSql.BY_ID).execute(Tuple.of(id))))
        .compose(rows -> Responses.ok(ctx, ListingJson.of(rows.iterator().next())))
        .onFailure(ctx::fail);
  }

  private static long id(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiErrors.notFound("Listing");
    }
  }

  private void list(RoutingContext ctx) {
    ListingsQuery.Filter filter = new ListingsQuery.Filter(param(ctx, "kind"), cents(ctx, "minPrice"),
        cents(ctx, "maxPrice"), param(ctx, "player"), param(ctx, "set"), param(ctx, "q"));
    Paging paging = Paging.of(ctx.queryParams(), PAGE_SIZE);
    // the page's JSON comes encoded from the browse cache
    query.cached(filter, paging.limit(), paging.offset())
        .compose(page -> ctx.response().putHeader("Content-Type", "application/json").end(page.json()))
        .onFailure(ctx::fail);
  }

  private void one(RoutingContext ctx) {
    query.one(id(ctx)).compose(listing -> {
      if (listing == null) {
        throw ApiErrors.notFound("Listing");
      }
      return Responses.ok(ctx, listing);
    }).onFailure(ctx::fail);
  }

  /** Same inbox as the bus (dedupe by eventId, stored first reply): the body goes through the bus consumer. */
  private void ingest(RoutingContext ctx) {
    JsonObject body = JsonBody.object(ctx);
    vertx.eventBus().<JsonObject>request(Addresses.TOT_CARDS_PUBLISH, body)
        .compose(reply -> Responses.ok(ctx, reply.body()))
        .onFailure(t -> ctx.fail(asApi(t)));
  }

  private static Throwable asApi(Throwable t) {
    if (t instanceof ReplyException r && r.failureCode() >= 400 && r.failureCode() < 500) {
      try {
        JsonObject e = new JsonObject(r.getMessage());
        return new ApiException(r.failureCode(), e.getString("error", "rejected"), e.getString("message", ""));
      } catch (DecodeException notJson) {
        return new ApiException(r.failureCode(), "rejected", r.getMessage());
      }
    }
    return ApiErrors.unavailable("unavailable", "could not apply the message now; retry");
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.queryParams().get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static Long cents(RoutingContext ctx, String name) {
    String v = param(ctx, name);
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // same answer below
    }
    throw ApiErrors.invalidField(name, name + " must be a non-negative integer (cents)");
  }
}
