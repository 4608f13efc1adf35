package io.slabtrack.cluster.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabtrack.cluster.config.AppName;
import io.vertx.core.Vertx;

/** Passwordless sign-in: codes sent (the mail went out), verified, failed (wrong or expired) and rate-limited. */
public final class LoginMetrics {
  private final Counter sent;
  private final Counter verified;
  private final Counter failed;
  private final Counter rateLimited;

  LoginMetrics(MeterRegistry registry, AppName app) {
    sent = counter(registry, app, "sent");
    verified = counter(registry, app, "verified");
    failed = counter(registry, app, "failed");
    rateLimited = counter(registry, app, "rate_limited");
  }

  public static LoginMetrics of(Vertx vertx, AppName app) {
    return NodeMetrics.shared(vertx, "login:" + app.id(), r -> new LoginMetrics(r, app));
  }

  public void sent() {
    sent.increment();
  }

  public void verified() {
    verified.increment();
  }

  public void failed() {
    failed.increment();
  }

  public void rateLimited() {
    rateLimited.increment();
  }

  private static Counter counter(MeterRegistry registry, AppName app, String result) {
    return Counter.builder("slabtrack.login.codes").description("Sign-in codes, by result")
        .tags("app", app.id(), "result", result).register(registry);
  }
}
