package io.slabtrack.simulator.stripe;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A slow Stripe, for tests: API requests whose path starts with a prefix answer after a delay. The delay is a timer,
 * not a sleep, so other requests (and the control routes) are served meanwhile, as a slow network would be.
 */
final class SimLatency {
  private final Vertx vertx;
  private volatile String pathPrefix = "/v1/";
  private volatile long delayMs;

  SimLatency(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Control: {@code {ms, path?}}; {@code ms: 0} answers at once again. */
  JsonObject set(JsonObject body) {
    long ms = body.getLong("ms", 0L);
    if (ms < 0 || ms > 60_000) {
      throw SimError.invalid("parameter_invalid_integer", "ms must be 0..60000", "ms");
    }
    pathPrefix = body.getString("path", "/v1/");
    delayMs = ms;
    return new JsonObject().put("ms", ms).put("path", pathPrefix);
  }

  /** Route handler in front of the API routes. */
  void handle(RoutingContext ctx) {
    long ms = delayMs;
    if (ms > 0 && ctx.request().path().startsWith(pathPrefix)) {
      vertx.setTimer(ms, id -> ctx.next());
    } else {
      ctx.next();
    }
  }
}
