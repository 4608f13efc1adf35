package io.slabtrack.cluster.reconcile;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.Addresses.ReconcileSnapshot;
import io.slabtrack.cluster.bus.BusService;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.JsonBody;
import io.slabtrack.cluster.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a satellite tells the reconciler, served the same way on the bus ({@code <app>.reconcile.<snapshot>}, for
 * core) and on HTTP for operators ({@code GET /api/reconcile/<snapshot>?after=&limit=}; the Stripe check also as
 * {@code POST /api/reconcile/stripe} with a JSON body). One function per snapshot answers both.
 */
public final class SatelliteSnapshots {
  public static final String HTTP_PREFIX = "/api/reconcile/";

  private final AppName app;
  private final Map<ReconcileSnapshot, Function<JsonObject, Future<JsonObject>>> handlers =
      new EnumMap<>(ReconcileSnapshot.class);

  public SatelliteSnapshots(AppName app) {
    this.app = app;
  }

  public SatelliteSnapshots serve(ReconcileSnapshot snapshot, Function<JsonObject, Future<JsonObject>> handler) {
    handlers.put(snapshot, handler);
    return this;
  }

  /**
   * Serves the bus addresses from a verticle of their own, so they go away with the app (an app stopped and started
   * again on a node must not leave handlers bound to its closed pool).
   */
  public Future<Void> deploy(Vertx vertx) {
    return vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        List<Future<Void>> consumers = new ArrayList<>();
        handlers.forEach((snapshot, handler) ->
            consumers.add(BusService.serve(vertx, Addresses.reconcile(app, snapshot), handler)));
        return Future.all(consumers);
      }
    }).mapEmpty();
  }

  public void mount(Router router, Handler<RoutingContext> operatorAuth) {
    handlers.forEach((snapshot, handler) -> {
      router.get(HTTP_PREFIX + snapshot.id()).handler(operatorAuth).handler(ctx -> answer(ctx, handler,
          readOnly(queryBody(ctx))));
      if (snapshot == ReconcileSnapshot.STRIPE) {
        router.post(HTTP_PREFIX + snapshot.id()).handler(operatorAuth).handler(ctx -> answer(ctx, handler,
            JsonBody.object(ctx)));
      }
    });
  }

  /** A GET never changes anything (a link or a prefetch must not heal): healing is a POST or a bus request. */
  private static JsonObject readOnly(JsonObject query) {
    if ("heal".equals(query.getValue("mode"))) {
      throw ApiErrors.invalidField("mode", "mode=heal changes state: send it as POST with a JSON body");
    }
    return query;
  }

  private static JsonObject queryBody(RoutingContext ctx) {
    JsonObject body = new JsonObject();
    ctx.queryParams().forEach(e -> {
      String value = e.getValue();
      body.put(e.getKey(), "limit".equals(e.getKey()) || "sinceDays".equals(e.getKey()) ? number(e.getKey(), value)
          : value);
    });
    return body;
  }

  private static Object number(String field, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiErrors.invalidField(field, field + " must be an integer");
    }
  }

  private static void answer(RoutingContext ctx, Function<JsonObject, Future<JsonObject>> handler, JsonObject body) {
    Future<JsonObject> result;
    try {
      result = handler.apply(body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.compose(reply -> Responses.ok(ctx, reply)).onFailure(ctx::fail);
  }
}
