package io.slabtrack.cluster.app;

import io.slabtrack.cluster.access.PublicRoutes;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.Map;

/**
 * What an app (core, ToT, Storefront) contributes to a node. The launcher knows the three modules; the shared
 * {@link AppRuntime} does the rest the same way in dev mode and node mode: database, migrations, outbox relay,
 * health, HTTP server.
 */
public interface AppModule {

  AppName name();

  /** Flyway location of the app's own migrations, e.g. {@code classpath:db/core}. */
  default String migrationsLocation() {
    return "classpath:db/" + name().id();
  }

  /**
   * Refuses settings the app can't run safely with by throwing a {@link io.slabtrack.cluster.config.ConfigException}
   * (the launcher exits 2 with its message, which names the variable); called before the node joins the cluster.
   */
  default void checkSettings(Settings settings, RunMode mode) {
  }

  /** Registers outbox reply handlers and other hooks before anything is deployed. */
  default void configure(AppContext ctx) {
  }

  /** Deploys the app's bus consumers and background verticles; completes when they are ready to serve. */
  default Future<Void> deployVerticles(AppContext ctx) {
    return Future.succeededFuture();
  }

  /**
   * Routes (Vert.x web paths, e.g. {@code /api/cards/import}) that accept larger request bodies than the default
   * {@link AppHttpVerticle#DEFAULT_BODY_LIMIT}, with their limit in bytes.
   */
  default Map<String, Long> bodyLimits() {
    return Map.of();
  }

  /**
   * The app's routes that answer without a token (buyer browse, checkout, Stripe webhooks, login...). Every other
   * route needs a session or a service token: a route missing here is private (deny by default, {@code AccessGate}).
   */
  default PublicRoutes publicRoutes() {
    return PublicRoutes.none();
  }

  /**
   * A classpath resource holding the app's OpenAPI document, served as-is at {@code GET /openapi.json} (and explored at
   * {@code /docs}) and the contract every {@code /api} request it describes is validated against
   * ({@link io.slabtrack.cluster.http.ContractValidation}); null when the app serves and validates its contract itself
   * (core's operator API, through a RouterBuilder).
   */
  default String openApiDocument() {
    return null;
  }

  /** Mounts the app's HTTP routes (one method per feature, called from here). */
  default void mountRoutes(Router router, AppContext ctx) {
  }

  /** Demo data for dev mode: each app fills it as its features land. Must be idempotent. */
  default Future<Void> seedDemo(AppContext ctx) {
    return Future.succeededFuture();
  }
}
