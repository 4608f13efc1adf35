package io.slabtrack.core.api;

import io.slabtrack.cluster.http.Responses;
import io.slabtrack.cluster.http.ValidationFailures;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Core's operator API as described by {@code openapi/core.json}: the document is served at {@code GET /openapi.json},
 * every request is validated against it before a handler runs (400 naming the field), and every operation is
 * behind the session guard and the role gate ({@link VendorAccess}). Features bind their handlers by operation id.
 */
public final class OperatorApi {
  public static final String DOCUMENT = "openapi/core.json";

  /** A feature's routes: binds handlers to operation ids. */
  public interface Feature {
    void bind(Binder binder);

    /**
     * Routes the validator can't check (a media type vertx-openapi doesn't support, such as text/csv), mounted ahead
     * of the validated ones on a path of the document, so the operator guard still applies; the document describes
     * them in prose.
     */
    default void mountUnvalidated(Router router) {
    }
  }

  /** Binds one operation: the guard, then the feature's handler. */
  public interface Binder {
    void on(String operationId, Handler<RoutingContext> handler);
  }

  private final OpenAPIContract contract;

  private OperatorApi(OpenAPIContract contract) {
    this.contract = contract;
  }

  /** Loads and checks the document; fails the app's start if it is not a valid contract. */
  public static Future<OperatorApi> load(Vertx vertx) {
    return vertx.executeBlocking(OperatorApi::readDocument, false)
        .compose(doc -> OpenAPIContract.from(vertx, doc))
        .map(OperatorApi::new);
  }

  private static JsonObject readDocument() throws IOException {
    try (InputStream in = OperatorApi.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IOException(DOCUMENT + " missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /**
   * Mounts the validated operations on {@code router}. Every operation of the document must be bound, so the
   * document can't promise a route the code lacks.
   */
  public void mount(Vertx vertx, Router router, List<Handler<RoutingContext>> guards, List<Feature> features) {
    // the app router's BodyHandler has read the body already: validate what it read
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler());
    Handler<RoutingContext> failures = new ValidationFailures();
    features.forEach(f -> f.bind((operationId, handler) -> {
      OpenAPIRoute route = builder.getRoute(operationId);
      if (route == null) {
        throw new IllegalStateException("no operation " + operationId + " in " + DOCUMENT);
      }
      // the session guard runs as the first handler, before validation would tell an anonymous caller anything
      route.setDoSecurity(false).addHandler(handler).addFailureHandler(failures);
    }));
    builder.getRoutes().forEach(r -> {
      if (r.getHandlers().isEmpty()) {
        throw new IllegalStateException("operation " + r.getOperation().getOperationId() + " has no handler");
      }
    });
    String raw = contract.getRawContract().encode();
    router.get("/openapi.json").handler(rc -> Responses.send(rc, 200, raw));
    // Every /api request that no earlier route answered passes the guards (a session, then VendorAccess's role gate):
    // the routes mounted before this one (login, claims, the shared outbox/lock/ping routes) end their own requests,
    // so what reaches here is this document's operations, its unvalidated extras, or an unknown path, and all of them
    // need an operator, or a vendor on the routes opened to vendors.
    guards.forEach(g -> router.route("/api/*").handler(g));
    features.forEach(f -> f.mountUnvalidated(router));
    router.route("/*").subRouter(builder.createRouter());
  }

}
