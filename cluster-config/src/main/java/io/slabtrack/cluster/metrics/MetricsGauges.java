package io.slabtrack.cluster.metrics;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.health.KeyFingerprints;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes one app's gauges every {@link #PERIOD_MS}: its outbox table (one query on the partial index of
 * undelivered rows), the cluster's members and the JWT key agreement. Scrapes only read the last values, so
 * however often Prometheus scrapes, the database sees one small query per app per period.
 */
public final class MetricsGauges extends VerticleBase {
  public static final long PERIOD_MS = 15_000;
  private static final Logger LOG = LoggerFactory.getLogger(MetricsGauges.class);
  static final String OUTBOX_TABLE = "SELECT count(*) FILTER (WHERE status = 'pending') AS pending,"
      + " count(*) FILTER (WHERE status = 'dead') AS dead,"
      + " coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)::bigint"
      + " AS oldest_pending_seconds"
      + " FROM outbox WHERE status <> 'delivered'";

  private final AppName app;
  private final Pool pool;
  private final ClusterNode cluster;
  private final int minMembers;
  private final KeyFingerprints keys;
  private long timer = -1;

  public MetricsGauges(AppName app, Pool pool, ClusterNode cluster, int minMembers, KeyFingerprints keys) {
    this.app = app;
    this.pool = pool;
    this.cluster = cluster;
    this.minMembers = minMembers;
    this.keys = keys;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(PERIOD_MS, id -> refresh());
    return refresh();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** One refresh; the first completes start, so a node's first scrape already has figures. */
  public Future<Void> refresh() {
    OutboxMetrics outbox = OutboxMetrics.of(vertx, app);
    ClusterMetrics clusterMetrics = ClusterMetrics.of(vertx, app);
    clusterMetrics.members(cluster.isRunning() ? cluster.members().size() : 0, minMembers);
    Future<Void> table = pool.query(OUTBOX_TABLE).execute().map(rows -> {
      Row r = rows.iterator().next();
      outbox.table(r.getLong("pending"), r.getLong("dead"), r.getLong("oldest_pending_seconds"));
      return (Void) null;
    });
    Future<Void> jwt = keys == null ? Future.succeededFuture()
        : keys.evaluate().map(v -> {
          clusterMetrics.jwtKeysAgree(v.ok());
          return (Void) null;
        });
    // a failed read keeps the last figures; the database check of /ready says why
    return Future.join(table, jwt).<Void>mapEmpty()
        .recover(e -> {
          LOG.debug("metrics gauges of {} not refreshed: {}", app.id(), e.toString());
          return Future.succeededFuture();
        });
  }
}
