package io.slabtrack.cluster.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers with the status codes of API-CONVENTIONS.md. */
public final class Responses {
  private static final String JSON = "application/json";

  private Responses() {
  }

  public static Future<Void> ok(RoutingContext ctx, JsonObject body) {
    return send(ctx, 200, body.encode());
  }

  public static Future<Void> ok(RoutingContext ctx, JsonArray body) {
    return send(ctx, 200, body.encode());
  }

  public static Future<Void> created(RoutingContext ctx, String location, JsonObject body) {
    ctx.response().putHeader("Location", location);
    return send(ctx, 201, body.encode());
  }

  public static Future<Void> accepted(RoutingContext ctx, JsonObject job) {
    return send(ctx, 202, job.encode());
  }

  public static Future<Void> noContent(RoutingContext ctx) {
    return ctx.response().setStatusCode(204).end();
  }

  public static Future<Void> error(RoutingContext ctx, ApiException e) {
    // 429 (a limit) and 503 (a saturated or slow upstream, e.g. payments_busy) say when to come back
    if ((e.status() == 429 || e.status() == 503) && e.details().containsKey("retryAfterSeconds")) {
      ctx.response().putHeader("Retry-After", String.valueOf(e.details().getValue("retryAfterSeconds")));
    }
    return send(ctx, e.status(), e.toJson().encode());
  }

  public static Future<Void> send(RoutingContext ctx, int status, String json) {
    return ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(json);
  }
}
