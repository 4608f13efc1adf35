package io.slabtrack.cluster.app;

import io.slabtrack.cluster.auth.AuthHandlers;
import io.slabtrack.cluster.auth.DisabledUsers;
import io.slabtrack.cluster.auth.RevokedSessions;
import io.slabtrack.cluster.auth.SessionsValidAfter;
import io.slabtrack.cluster.bus.BusTokens;
import io.slabtrack.cluster.config.PgSettings;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.db.Databases;
import io.slabtrack.cluster.db.Migrations;
import io.slabtrack.cluster.db.PgPools;
import io.slabtrack.cluster.db.TableUpkeepVerticle;
import io.slabtrack.cluster.limits.LimitsRetention;
import io.slabtrack.cluster.metrics.MetricsGauges;
import io.slabtrack.cluster.metrics.OutboxMetrics;
import io.slabtrack.cluster.outbox.OutboxRelayVerticle;
import io.slabtrack.cluster.outbox.OutboxRetention;
import io.slabtrack.cluster.outbox.RelayOptions;
import io.slabtrack.cluster.outbox.ReplyHandlers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one app on this node, in the same order in dev mode and node mode: database (created if missing and
 * migrated), pool, outbox relay, ping responder, the app's verticles, then HTTP last — so a listening port means
 * the app can serve.
 */
public final class AppRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(AppRuntime.class);
  /**
   * Connections per app and node ({@code PG_POOL_SIZE}). Every statement holds one for its round trip, commits
   * included: when PostgreSQL answers slowly (a flush-bound disk, a busy machine) a small pool queues the app's
   * requests, not the database (measured: a checkout's statements waited 13x longer for a connection than they used
   * one). Each connection is a PostgreSQL backend, so the sum over nodes must stay under {@code max_connections}.
   */
  static final int DEFAULT_POOL_SIZE = 8;
  /**
   * Statements that may wait for one of those connections ({@code PG_POOL_QUEUE}); beyond it a request fails at once
   * with 503 {@code database_unavailable} and Retry-After instead of joining a queue that grows without bound (the
   * Vert.x default) while every request in it gets slower.
   */
  static final int DEFAULT_POOL_QUEUE = 1_000;

  private final AppContext ctx;
  private final List<String> deployments;
  private final AppHttpVerticle http;
  private final int httpPort;

  private AppRuntime(AppContext ctx, List<String> deployments, AppHttpVerticle http) {
    this.ctx = ctx;
    this.deployments = deployments;
    this.http = http;
    this.httpPort = http.actualPort();
  }

  public static Future<AppRuntime> start(NodeServices node, AppModule module, boolean seedDemo) {
    Vertx vertx = node.cluster().vertx();
    PgSettings db = node.config().database(module.name());
    long started = System.nanoTime();
    return vertx.executeBlocking(() -> {
      if (Databases.ensureExists(db)) {
        LOG.info("created database {}", db);
      }
      return Migrations.migrate(db, module.migrationsLocation());
    }, false).compose(applied -> {
      LOG.info("{} database {} migrated ({} new migrations)", module.name().id(), db, applied);
      Pool pool = PgPools.create(vertx, db, node.config().settings().integer("PG_POOL_SIZE", DEFAULT_POOL_SIZE, 1, 500),
          node.config().settings().integer("PG_POOL_QUEUE", DEFAULT_POOL_QUEUE, 1, 1_000_000));
      DisabledUsers disabled = new DisabledUsers(node.cluster());
      SessionsValidAfter validAfter = new SessionsValidAfter(node.cluster());
      AuthHandlers auth = new AuthHandlers(node.tokens(), module.name(), node.config().mode() == RunMode.NODE,
          new RevokedSessions(disabled, validAfter));
      AppContext ctx = new AppContext(module.name(), node.config(), node.cluster(), db, pool, node.jwtKeys(),
          node.tokens(), auth, new ReplyHandlers(), node.saleLocks(), disabled, validAfter);
      module.configure(ctx);
      RelayOptions relay = RelayOptions.defaults().withPollMillis(node.config().outboxPollMillis())
          .withMaxFailures(node.config().settings().integer("OUTBOX_MAX_FAILURES", RelayOptions.DEFAULT_MAX_FAILURES,
              1, 10_000));
      Set<String> before = new HashSet<>(vertx.deploymentIDs());
      List<String> ids = new ArrayList<>();
      return disabled.start()
          .compose(x -> validAfter.start())
          .compose(x -> vertx.deployVerticle(new OutboxRelayVerticle(pool, PgPools.connectOptions(db),
              ctx.replyHandlers(), relay, new BusTokens(node.tokens(), module.name()),
              OutboxMetrics.of(vertx, module.name()))))
          .compose(x -> vertx.deployVerticle(new MetricsGauges(module.name(), pool, node.cluster(),
              node.config().minClusterMembers(), node.keyFingerprints())))
          .compose(x -> vertx.deployVerticle(OutboxRetention.fromSettings(pool, node.config().settings())))
          .compose(x -> vertx.deployVerticle(new LimitsRetention(pool)))
          .compose(x -> vertx.deployVerticle(new TableUpkeepVerticle(pool,
              node.config().settings().integer("DB_UPKEEP_MS", 1_000, 100, 3_600_000))))
          .compose(x -> vertx.deployVerticle(new PingVerticle(module.name(), node.cluster().nodeId())))
          .compose(x -> module.deployVerticles(ctx))
          .compose(x -> {
            // everything deployed since this app began (the module's own verticles too), so stop() takes it all
            // down; the apps of one node start one after another, so nothing else is deploying meanwhile
            vertx.deploymentIDs().stream().filter(id -> !before.contains(id)).forEach(ids::add);
            return seedDemo ? module.seedDemo(ctx) : Future.succeededFuture();
          })
          .compose(x -> {
            AppHttpVerticle http = new AppHttpVerticle(ctx, module, node);
            return vertx.deployVerticle(http).map(id -> {
              ids.add(id);
              LOG.info("{} ready in {} ms", module.name().id(), (System.nanoTime() - started) / 1_000_000);
              return new AppRuntime(ctx, ids, http);
            });
          });
    });
  }

  public AppContext context() {
    return ctx;
  }

  /** The port the app's HTTP server actually listens on (differs from config when configured as 0). */
  public int httpPort() {
    return httpPort;
  }

  /** The app's HTTP router (tests walk its routes). */
  public Router router() {
    return http.router();
  }

  /** Undeploys this app's verticles (HTTP first, draining), then closes its pool. */
  public Future<Void> stop() {
    Vertx vertx = ctx.vertx();
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(x -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return chain.compose(x -> ctx.disabledUsers().stop()).compose(x -> ctx.sessionsValidAfter().stop())
        .compose(x -> ctx.pool().close());
  }
}
