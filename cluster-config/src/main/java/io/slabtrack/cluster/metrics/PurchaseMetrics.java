package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;

/**
 * Buyers' purchases: Storefront checkouts and ToT plays ({@code kind}), when they start (created, refused with a
 * 4xx such as a sold or locked card, or failed) and how they end (paid, or why not: a short fixed list).
 */
public final class PurchaseMetrics {
  public static final String CHECKOUT = "checkout";
  public static final String PLAY = "play";
  private final MeterRegistry registry;
  private final String app;

  PurchaseMetrics(MeterRegistry registry, AppName app) {
    this.registry = registry;
    this.app = app.id();
  }

  public static PurchaseMetrics of(Vertx vertx, AppName app) {
    return NodeMetrics.shared(vertx, "purchases:" + app.id(), r -> new PurchaseMetrics(r, app));
  }

  /** @param outcome created, refused or failed */
  public void started(String kind, String outcome) {
    Counter.builder("slabtrack.purchases.started").description("Checkouts and plays started, by outcome")
        .tags("app", app, "kind", kind, "outcome", outcome).register(registry).increment();
  }

  /** The started outcome for a failure: refused for a client error (4xx), failed otherwise. */
  public void startFailed(String kind, Throwable failure) {
    boolean refused = failure instanceof io.slabtrack.cluster.http.ApiException api && api.status() < 500;
    started(kind, refused ? "refused" : "failed");
  }

  /** @param outcome paid, or the reason it was not (sold_elsewhere, capture_failed, …) */
  public void settled(String kind, String outcome) {
    Counter.builder("slabtrack.purchases.settled").description("Checkouts and plays settled, by outcome")
        .tags("app", app, "kind", kind, "outcome", outcome).register(registry).increment();
  }
}
