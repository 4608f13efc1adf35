package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code /ready} checks, as gauges an alert can read: the cluster's members as this node sees them, the
 * split-brain minimum ({@code HZ_MIN_MEMBERS}), and whether this node's JWT keys agree with core's (1) or not (0),
 * refreshed periodically by {@code MetricsGauges}.
 */
public final class ClusterMetrics {
  private final AtomicLong members = new AtomicLong();
  private final AtomicLong minMembers = new AtomicLong();
  private final AtomicLong jwtKeysAgree = new AtomicLong(1);

  ClusterMetrics(MeterRegistry registry, AppName app) {
    Gauge.builder("slabtrack.cluster.members", members, AtomicLong::get).tag("app", app.id()).strongReference(true)
        .description("Cluster members this node sees").register(registry);
    Gauge.builder("slabtrack.cluster.min.members", minMembers, AtomicLong::get).tag("app", app.id())
        .strongReference(true).description("HZ_MIN_MEMBERS: below it sale-locks refuse").register(registry);
    Gauge.builder("slabtrack.jwt.keys.agree", jwtKeysAgree, AtomicLong::get).tag("app", app.id())
        .strongReference(true).description("1 when this node shares a JWT key with core, 0 on a mismatch")
        .register(registry);
  }

  public static ClusterMetrics of(Vertx vertx, AppName app) {
    return NodeMetrics.shared(vertx, "cluster:" + app.id(), r -> new ClusterMetrics(r, app));
  }

  public void members(int seen, int minimum) {
    members.set(seen);
    minMembers.set(minimum);
  }

  public void jwtKeysAgree(boolean agree) {
    jwtKeysAgree.set(agree ? 1 : 0);
  }
}
