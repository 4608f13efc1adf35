package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
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
  /** Who starts runs: the schedule, or an operator through the API. */
  public static final List<String> TRIGGERS = List.of("schedule", "operator");
  private final Map<String, AtomicLong> lastRun = new ConcurrentHashMap<>();

  ReconcileMetrics(MeterRegistry registry, AppName app) {
    this.registry = registry;
    this.app = app.id();
  }

  public static ReconcileMetrics of(Vertx vertx, AppName app) {
    return NodeMetrics.shared(vertx, "reconcile:" + app.id(), r -> new ReconcileMetrics(r, app));
  }

  /**
   * Registers every kind's series at 0 (both triggers, both heal outcomes) before any run: Prometheus's {@code increase()} sees no
   * increase in a series whose first sample is already 3, so a counter born at a drifting run would never alert.
   */
  public void expect(List<String> kinds) {
    for (String trigger : TRIGGERS) {
      Map<String, Integer> zero = new LinkedHashMap<>();
      kinds.forEach(k -> zero.put(k, 0));
      record(trigger, zero);
    }
    for (String kind : kinds) {
      for (String outcome : List.of("healed", "not_healed")) {
        heals(kind, outcome);
      }
    }
  }

  /**
   * A finished run.
   * @param trigger schedule or operator
   * @param driftByKind every kind the reconciler knows, with its count in this run (0 included)
   */
  public void run(String trigger, String status, Map<String, Integer> driftByKind) {
    Counter.builder("slabtrack.reconciler.runs").description("Reconciler runs finished, by trigger and status")
        .tags("app", app, "trigger", trigger, "status", status).register(registry).increment();
    if ("done".equals(status)) {
      record(trigger, driftByKind);
    }
  }

  private void record(String trigger, Map<String, Integer> driftByKind) {
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
    heals(kind, outcome).increment();
  }

  private Counter heals(String kind, String outcome) {
    return Counter.builder("slabtrack.reconciler.heals")
        .description("Drift the reconciler tried to heal, per kind and outcome")
        .tags("app", app, "kind", kind, "outcome", outcome).register(registry);
  }
}
