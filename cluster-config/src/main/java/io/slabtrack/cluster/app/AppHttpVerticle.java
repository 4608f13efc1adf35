package io.slabtrack.cluster.app;

import io.slabtrack.cluster.access.AccessGate;
import io.slabtrack.cluster.logging.RequestIds;
import io.slabtrack.cluster.access.CanonicalPath;
import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.auth.OriginCheck;
import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.health.HealthRoutes;
import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ContractValidation;
import io.slabtrack.cluster.http.FailureHandler;
import io.slabtrack.cluster.metrics.MetricsRoutes;
import io.slabtrack.cluster.outbox.OutboxRoutes;
import io.slabtrack.cluster.salelock.SaleLockRoutes;
import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.web.ApiDocs;
import io.slabtrack.cluster.web.WebLayer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app's HTTP server: the shared routes every app has (health, readiness, metrics, outbox, cluster ping) plus the
 * app's own. Stopping it drains in-flight requests before the port closes.
 */
public final class AppHttpVerticle extends VerticleBase {
  public static final long DEFAULT_BODY_LIMIT = 5L * 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(AppHttpVerticle.class);
  private static final long DRAIN_SECONDS = 10;

  private final AppContext ctx;
  private final AppModule module;
  private final NodeServices node;
  private HttpServer server;
  private Router router;

  public AppHttpVerticle(AppContext ctx, AppModule module, NodeServices node) {
    this.ctx = ctx;
    this.module = module;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    router.route().handler(new RequestIds()); // first: even a refused request has an id in its answer and logs
    router.route().handler(new OriginCheck(ctx.auth().cookieName()));
    // one spelling per path, then deny by default: both before any body is read or any route runs
    router.route().handler(new CanonicalPath());
    router.route().handler(new AccessGate(publicRoutes(module), ctx.auth().serviceOrSession())
        .withOwnGuard(MetricsRoutes.PATH, ctx.auth().metricsReader()));
    // a route's own limit first: the default BodyHandler below sees the body already read and passes
    module.bodyLimits().forEach((path, limit) ->
        router.route(path).handler(BodyHandler.create().setBodyLimit(limit)));
    router.route("/api/*").handler(BodyHandler.create().setBodyLimit(DEFAULT_BODY_LIMIT));
    HealthRoutes.mount(router, vertx, ctx.pool(), ctx.cluster(), ctx.config().minClusterMembers(),
        node.keyFingerprints(), ctx.auth().serviceOrSession(Role.OPERATOR));
    MetricsRoutes.mount(router, vertx, ctx.auth().metricsReader());
    Handler<RoutingContext> operator = ctx.auth().session(Role.OPERATOR);
    OutboxRoutes.mount(router, ctx.pool(), operator);
    ClusterRoutes.mount(router, ctx, operator);
    SaleLockRoutes.mount(router, ctx.saleLocks(), ctx.auth());
    WebLayer.mountSharedAssets(router);
    ApiDocs.mount(router, "SlabTrack " + module.name().id() + " API");
    Future<Void> validation = Future.succeededFuture();
    if (module.openApiDocument() != null) {
      String document = ApiDocs.readDocument(module.getClass(), module.openApiDocument());
      router.get(ApiDocs.DOCUMENT_PATH).handler(rc -> Responses.send(rc, 200, document));
      // the document is also the contract every /api request it describes is validated against (core does the
      // same through its RouterBuilder), ahead of the app's own routes
      Route validated = router.route("/api/*");
      validation = ContractValidation.load(vertx, new JsonObject(document))
          .onSuccess(validated::handler).mapEmpty();
    }
    return validation.compose(v -> listen());
  }

  private Future<HttpServer> listen() {
    module.mountRoutes(router, ctx);
    router.route().last().handler(rc -> rc.fail(ApiErrors.notFound("Route")));
    router.route().failureHandler(new FailureHandler());

    int port = ctx.config().httpPort(ctx.app());
    server = vertx.createHttpServer(new HttpServerOptions().setHost(ctx.config().httpHost()).setPort(port)
        .setCompressionSupported(true));
    return server.requestHandler(router).listen()
        .onSuccess(s -> LOG.info("{} HTTP listening on {}:{}", ctx.app().id(), ctx.config().httpHost(), s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(DRAIN_SECONDS, TimeUnit.SECONDS);
  }

  /** Everything this app answers without a token: the shared routes plus the app's own list. */
  public static PublicRoutes publicRoutes(AppModule module) {
    return PublicRoutes.EVERY_APP.plus(module.publicRoutes());
  }

  /** The app's router, for tests that walk every registered route. */
  public Router router() {
    return router;
  }

  public int actualPort() {
    return server.actualPort();
  }
}
