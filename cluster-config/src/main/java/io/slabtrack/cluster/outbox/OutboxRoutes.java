package io.slabtrack.cluster.outbox;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The operator's view of an app's outbox: what is stuck, what is dead, and a replay for dead messages.
 * Errors are {@link io.slabtrack.cluster.http.ApiException}s: the app's router needs its
 * {@link io.slabtrack.cluster.http.FailureHandler}.
 */
public final class OutboxRoutes {
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 200;

  private final Pool pool;

  private OutboxRoutes(Pool pool) {
    this.pool = pool;
  }

  public static void mount(Router router, Pool pool, Handler<RoutingContext> operatorAuth) {
    OutboxRoutes routes = new OutboxRoutes(pool);
    router.get("/api/outbox").handler(operatorAuth).handler(routes::list);
    router.post("/api/outbox/:id/replay").handler(operatorAuth).handler(routes::replay);
    router.post("/api/outbox/:id/release-aggregate").handler(operatorAuth).handler(routes::releaseAggregate);
  }

  /** A status filter as the statuses it covers and a minimum attempt count ("retrying" = pending, tried). */
  private record Filter(String[] statuses, int minAttempts) {
    static Filter parse(String status) {
      if (status == null) {
        return new Filter(new String[] {"pending", "dead"}, 0);
      }
      return switch (status) {
        case "pending" -> new Filter(new String[] {"pending"}, 0);
        case "retrying" -> new Filter(new String[] {"pending"}, 1);
        case "dead" -> new Filter(new String[] {"dead"}, 0);
        case "delivered" -> new Filter(new String[] {"delivered"}, 0);
        default -> throw ApiErrors.invalidField("status", "status is one of pending, retrying, dead, delivered");
      };
    }
  }

  private void list(RoutingContext ctx) {
    Filter filter = Filter.parse(ctx.request().getParam("status"));
    int limit = parseLimit(ctx.request().getParam("limit"));
    Future<JsonObject> counts = pool.preparedQuery(OutboxSql.COUNTS).execute().map(rows -> {
      Row r = rows.iterator().next();
      return new JsonObject()
          .put("pending", r.getLong("pending"))
          .put("retrying", r.getLong("retrying"))
          .put("dead", r.getLong("dead"))
          .put("delivered", r.getLong("delivered"));
    });
    Future<JsonArray> latest = pool.preparedQuery(OutboxSql.LATEST)
        .execute(Tuple.of(filter.statuses(), filter.minAttempts(), limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          rows.forEach(r -> out.add(OutboxRow.from(r).toJson()));
          return out;
        });
    Future.all(counts, latest)
        .compose(all -> Responses.ok(ctx, new JsonObject().put("counts", counts.result()).put("rows", latest.result())))
        .onFailure(ctx::fail);
  }

  private void replay(RoutingContext ctx) {
    long id = parseId(ctx.pathParam("id"));
    pool.preparedQuery(OutboxSql.REPLAY).execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.rowCount() == 1) {
            return Future.succeededFuture(OutboxRow.from(rows.iterator().next()).toJson());
          }
          return pool.preparedQuery(OutboxSql.STATUS_OF).execute(Tuple.of(id)).compose(found -> found.rowCount() == 0
              ? Future.failedFuture(ApiErrors.notFound("Outbox message " + id))
              : Future.failedFuture(ApiErrors.conflict("not_dead",
                  "only a dead message can be replayed; this one is " + found.iterator().next().getString("status"))));
        })
        .compose(row -> Responses.ok(ctx, row))
        .onFailure(ctx::fail);
  }

  /**
   * A dead message that holds its aggregate (a claim, a release) which the operator has settled by hand: it stays
   * dead and listed, and the aggregate's later messages go on.
   */
  private void releaseAggregate(RoutingContext ctx) {
    long id = parseId(ctx.pathParam("id"));
    pool.preparedQuery(OutboxSql.RELEASE_AGGREGATE).execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.rowCount() == 1) {
            return Future.succeededFuture(OutboxRow.from(rows.iterator().next()).toJson());
          }
          return pool.preparedQuery(OutboxSql.STATUS_OF).execute(Tuple.of(id)).compose(found -> found.rowCount() == 0
              ? Future.failedFuture(ApiErrors.notFound("Outbox message " + id))
              : Future.failedFuture(ApiErrors.conflict("not_holding",
                  "only a dead message that holds its aggregate can release it")));
        })
        .compose(row -> Responses.ok(ctx, row))
        .onFailure(ctx::fail);
  }

  private static int parseLimit(String raw) {
    if (raw == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // falls through to the same answer as out of range
    }
    throw ApiErrors.invalidField("limit", "limit is a whole number from 1 to " + MAX_LIMIT);
  }

  private static long parseId(String raw) {
    try {
      long id = Long.parseLong(raw);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException ignored) {
      // falls through
    }
    throw ApiErrors.invalidField("id", "id is a positive whole number");
  }
}
