package io.slabtrack.cluster.health;

import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /health} (liveness: the event loop answers) and {@code GET /ready} (readiness: database, cluster
 * membership, JWT key agreement), as vertx-health-check JSON with one entry per check; 503 when any is down.
 *
 * <p>{@code /ready} is public (load balancers probe it without credentials), so anonymous callers get only the
 * outline: the overall status and each check's id and status. The details — member addresses, database error
 * texts, key fingerprints — tell an attacker where the cluster is and what fails, so they need an operator session
 * or a service token; a caller whose credentials don't prove either gets the outline too.
 */
public final class HealthRoutes {
  private static final long CHECK_TIMEOUT_MS = 3000;

  private HealthRoutes() {
  }

  /** @param detailsAuth the guard that admits callers to the details (operator session or service token) */
  public static void mount(Router router, Vertx vertx, Pool pool, ClusterNode cluster, int minMembers,
                           KeyFingerprints keys, Handler<RoutingContext> detailsAuth) {
    HealthChecks liveness = HealthChecks.create(vertx)
        .register("event-loop", promise -> promise.complete(Status.OK()));
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(liveness));

    HealthChecks readiness = HealthChecks.create(vertx)
        .register("database", CHECK_TIMEOUT_MS, promise -> pool.query("SELECT 1").execute()
            .timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .onSuccess(rows -> promise.complete(Status.OK()))
            .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("reason", String.valueOf(e.getMessage()))))))
        .register("cluster", CHECK_TIMEOUT_MS, promise -> promise.complete(clusterStatus(cluster, minMembers)))
        .register("jwt-keys", CHECK_TIMEOUT_MS, promise -> keys.evaluate()
            .onSuccess(v -> promise.complete(v.ok() ? Status.OK(v.data()) : Status.KO(v.data())))
            .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("reason", String.valueOf(e.getMessage()))))));
    HealthCheckHandler outline = HealthCheckHandler.createWithHealthChecks(readiness)
        .resultMapper(full -> Future.succeededFuture(outline(full)));
    router.get("/ready")
        .handler(detailsAuth)
        .handler(HealthCheckHandler.createWithHealthChecks(readiness))
        .failureHandler(rc -> {
          if (rc.failure() instanceof ApiException e && (e.status() == 401 || e.status() == 403)) {
            rc.response().headers().remove("WWW-Authenticate");
            outline.handle(rc);
          } else {
            rc.next();
          }
        });
  }

  /** The result without any check's data or failure text: ids and statuses only. */
  public static CheckResult outline(CheckResult full) {
    CheckResult out = new CheckResult().setId(full.getId()).setStatus(bareStatus(full));
    if (full.getChecks() != null) {
      out.setChecks(full.getChecks().stream().map(HealthRoutes::outline).toList());
    }
    return out;
  }

  private static Status bareStatus(CheckResult result) {
    return CheckResult.isUp(result) ? Status.OK() : Status.KO();
  }

  private static Status clusterStatus(ClusterNode cluster, int minMembers) {
    if (!cluster.isRunning()) {
      return Status.KO(new JsonObject().put("reason", "not a member of the cluster"));
    }
    JsonArray addresses = new JsonArray();
    cluster.members().forEach(m -> addresses.add(m.getAddress().getHost() + ":" + m.getAddress().getPort()));
    int members = addresses.size();
    // below the split-brain minimum the node still serves (sale-locks refuse, with their own 503)
    return Status.OK(new JsonObject()
        .put("nodeId", cluster.nodeId())
        .put("members", members)
        .put("memberAddresses", addresses)
        .put("minMembers", minMembers)
        .put("belowMinimum", members < minMembers));
  }
}
