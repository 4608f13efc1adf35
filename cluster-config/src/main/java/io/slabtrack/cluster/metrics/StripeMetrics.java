package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

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
