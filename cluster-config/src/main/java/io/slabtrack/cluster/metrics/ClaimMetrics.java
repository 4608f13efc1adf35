package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * Core's claim decisions: won, lost (with the rule that lost it: a short fixed list) or error (refused or failed
 * before a decision), with how long deciding took, per channel. A repeated claimId answered from the stored
 * decision is not counted again.
 */
public final class ClaimMetrics {
  private final MeterRegistry registry;
  private final String app;

  ClaimMetrics(MeterRegistry registry, AppName app) {
    this.registry = registry;
    this.app = app.id();
  }

  public static ClaimMetrics of(Vertx vertx, AppName app) {
    return NodeMetrics.shared(vertx, "claims:" + app.id(), r -> new ClaimMetrics(r, app));
  }

  /**
   * @param outcome won, lost or error
   * @param channel the claim's channel slug (a fixed list: thisorthat, storefront, …)
   */
  public void decided(String outcome, String reason, String channel, long nanos) {
    String from = channel == null ? "" : channel;
    Counter.builder("slabtrack.claims").description("Claim decisions by outcome")
        .tags("app", app, "outcome", outcome, "reason", reason == null ? "" : reason, "channel", from)
        .register(registry).increment();
    Timer.builder("slabtrack.claim.decision").description("Time to decide a claim")
        .tags("app", app, "outcome", outcome).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }
}
