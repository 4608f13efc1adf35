package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reconciler's runs: drift found per kind (a counter, and the last finished run's count per kind and trigger
 * as a gauge, which is what an alert on "the scheduled run found drift" reads), and heals per kind and outcome.
 * Only the node that ran a run counts it.
 */
public final class ReconcileMetrics {
  private final MeterRegistry registry;
  private final String app;
  private final Map<String, AtomicLong> lastRun = new ConcurrentHashMap<>();

  ReconcileMetrics(MeterRegistry registry, AppName app) {
    this.registry = registry;
    this.app = app.id();
  }

  public static ReconcileMetrics of(Vertx vertx, AppName app) {
    return NodeMetrics.shared(vertx, "reconcile:" + app.id(), r -> new ReconcileMetrics(r, app));
  }

  /**
   * A finished run.
   * @param trigger schedule or manual
   * @param driftByKind every kind the reconciler knows, with its count in this run (0 included)
   */
  public void run(String trigger, String status, Map<String, Integer> driftByKind) {
    Counter.builder("slabtrack.reconciler.runs").description("Reconciler runs finished, by trigger and status")
        .tags("app", app, "trigger", trigger, "status", status).register(registry).increment();
    driftByKind.forEach((kind, count) -> {
      Counter.builder("slabtrack.reconciler.drift.found").description("Drift found by reconciler runs, per kind")
          .tags("app", app, "trigger", trigger, "kind", kind).register(registry).increment(count);
      lastRun.computeIfAbsent(trigger + "/" + kind, k -> {
        AtomicLong value = new AtomicLong();
        Gauge.builder("slabtrack.reconciler.last.run.drift", value, AtomicLong::get).strongReference(true)
            .description("Drift found by the last finished run of this trigger, per kind")
            .tags("app", app, "trigger", trigger, "kind", kind).register(registry);
        return value;
      }).set(count);
    });
  }

  /** @param outcome healed, or not_healed (the fix failed or the drift is never auto-fixed) */
  public void heal(String kind, String outcome) {
    Counter.builder("slabtrack.reconciler.heals").description("Drift the reconciler tried to heal, per kind and outcome")
        .tags("app", app, "kind", kind, "outcome", outcome).register(registry).increment();
  }
}
