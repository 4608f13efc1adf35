package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * One app's Stripe traffic: API calls by operation (latency, and errors by our error code), and webhooks by
 * endpoint: verified (a good signature), rejected (no or a bad signature) and duplicate (an event id seen before).
 */
public final class StripeMetrics {
  private final MeterRegistry registry;
  private final String app;

  StripeMetrics(MeterRegistry registry, AppName app) {
    this.registry = registry;
    this.app = app.id();
  }

  public static StripeMetrics of(Vertx vertx, AppName app) {
    return NodeMetrics.shared(vertx, "stripe:" + app.id(), r -> new StripeMetrics(r, app));
  }

  /** @param error null on success, else the error code the call failed with (a short fixed list) */
  public void call(String operation, long nanos, String error) {
    Timer.builder("slabtrack.stripe.call").description("Stripe API calls, by operation and outcome")
        .tags("app", app, "operation", operation, "outcome", error == null ? "ok" : "error")
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    if (error != null) {
      Counter.builder("slabtrack.stripe.errors").description("Failed Stripe API calls, by operation and error code")
          .tags("app", app, "operation", operation, "code", error).register(registry).increment();
    }
  }

  /**
   * The call pool's load: calls waiting on Stripe now, and calls queued behind them. Queued at its bound means the
   * next checkout or play is refused with 503 {@code payments_busy}: the figure to watch when Stripe slows down.
   * The latest pool of the app wins (an app has one; tests may build several on one node).
   */
  public void callPool(IntSupplier running, IntSupplier queued) {
    registry.find("slabtrack.stripe.calls.running").tags("app", app).meters().forEach(registry::remove);
    registry.find("slabtrack.stripe.calls.queued").tags("app", app).meters().forEach(registry::remove);
    Gauge.builder("slabtrack.stripe.calls.running", running, IntSupplier::getAsInt)
        .description("Stripe API calls waiting on Stripe now").tag("app", app).strongReference(true).register(registry);
    Gauge.builder("slabtrack.stripe.calls.queued", queued, IntSupplier::getAsInt)
        .description("Stripe API calls queued behind the busy ones (at STRIPE_CALL_QUEUE: new sales refused)")
        .tag("app", app).strongReference(true).register(registry);
  }

  public void webhookVerified(String endpoint) {
    webhook(endpoint, "verified");
  }

  public void webhookRejected(String endpoint) {
    webhook(endpoint, "rejected");
  }

  public void webhookDuplicate(String endpoint) {
    webhook(endpoint, "duplicate");
  }

  private void webhook(String endpoint, String result) {
    Counter.builder("slabtrack.stripe.webhooks").description("Stripe webhooks received, by endpoint and result")
        .tags("app", app, "endpoint", endpoint, "result", result).register(registry).increment();
  }
}
