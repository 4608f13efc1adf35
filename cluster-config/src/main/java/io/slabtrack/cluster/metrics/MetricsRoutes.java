package io.slabtrack.cluster.metrics;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * {@code GET /metrics}: this node's registry in Prometheus text format, behind the given guard (never public: the
 * figures tell an attacker what traffic and failures a node has). In dev mode the three apps share one JVM and so
 * one registry: each app's {@code /metrics} shows all of them, told apart by their {@code app} tag.
 */
public final class MetricsRoutes {
  public static final String PATH = "/metrics";

  private MetricsRoutes() {
  }

  public static void mount(Router router, Vertx vertx, Handler<RoutingContext> guard) {
    Handler<RoutingContext> scrape = NodeMetrics.prometheus(vertx)
        .map(PrometheusScrapingHandler::create)
        // a Vert.x built without metrics (some tests): say so rather than answer an empty page
        .orElse(rc -> rc.fail(ApiErrors.unavailable("metrics_unavailable", "This node collects no metrics")));
    router.get(PATH).handler(guard).handler(scrape);
  }
}
