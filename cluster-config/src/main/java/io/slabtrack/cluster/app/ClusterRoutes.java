package io.slabtrack.cluster.app;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.http.Responses;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/cluster/ping/{app}}: asks another app over the event bus and reports who answered, and how fast. */
public final class ClusterRoutes {
  private static final long PING_TIMEOUT_MS = 5000;
  private final AppContext ctx;

  private ClusterRoutes(AppContext ctx) {
    this.ctx = ctx;
  }

  public static void mount(Router router, AppContext ctx, Handler<RoutingContext> operatorAuth) {
    ClusterRoutes routes = new ClusterRoutes(ctx);
    router.get("/api/cluster/ping/:app").handler(operatorAuth).handler(routes::ping);
  }

  private void ping(RoutingContext rc) {
    AppName target;
    try {
      target = AppName.parse(rc.pathParam("app"));
    } catch (ConfigException e) {
      rc.fail(ApiErrors.invalidField("app", "app must be core, tot or storefront"));
      return;
    }
    long started = System.nanoTime();
    ctx.vertx().eventBus()
        .<JsonObject>request(Addresses.ping(target), new JsonObject().put("from", ctx.app().id()),
            new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
        .onSuccess(reply -> Responses.ok(rc, new JsonObject()
            .put("from", ctx.app().id())
            .put("fromNodeId", ctx.cluster().nodeId())
            .put("answeredBy", reply.body())
            .put("roundTripMicros", (System.nanoTime() - started) / 1000)))
        .onFailure(e -> rc.fail(new ApiException(503, "peer_unavailable",
            target.id() + " did not answer over the event bus: " + describe(e))));
  }

  private static String describe(Throwable e) {
    return e instanceof ReplyException r ? r.failureType().name().toLowerCase() : String.valueOf(e.getMessage());
  }
}
