package io.slabtrack.launcher.runtime;

import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.simulator.stripe.StripeSimulatorVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the one simulator both satellites share when {@link StripeSettings#simulator()} says so, with webhook
 * endpoints for the Storefront (platform and Connect) and ToT signed with the configured secrets. A port already
 * taken means another node of this machine started it first: that is fine, not a failure.
 */
public final class DevStripeSimulator {
  public static final String STOREFRONT_WEBHOOK_PATH = "/api/stripe/webhook";
  public static final String STOREFRONT_CONNECT_WEBHOOK_PATH = "/api/stripe/connect/webhook";
  public static final String TOT_WEBHOOK_PATH = "/api/stripe/webhook";
  private static final Logger LOG = LoggerFactory.getLogger(DevStripeSimulator.class);

  private DevStripeSimulator() {
  }

  /** Simulator options delivering to the satellites at these base URLs (e.g. {@code http://127.0.0.1:8082}). */
  public static JsonObject options(StripeSettings s, String storefrontBaseUrl, String totBaseUrl) {
    JsonArray hooks = new JsonArray();
    s.storefrontWebhookSecret().ifPresent(secret -> hooks.add(StripeSimulatorVerticle.endpoint(
        storefrontBaseUrl + STOREFRONT_WEBHOOK_PATH, secret, false)));
    s.storefrontConnectWebhookSecret().ifPresent(secret -> hooks.add(StripeSimulatorVerticle.endpoint(
        storefrontBaseUrl + STOREFRONT_CONNECT_WEBHOOK_PATH, secret, true)));
    s.totWebhookSecret().ifPresent(secret -> hooks.add(StripeSimulatorVerticle.endpoint(
        totBaseUrl + TOT_WEBHOOK_PATH, secret, false)));
    return new JsonObject().put("port", s.simulatorPort()).put("webhooks", hooks);
  }

  /** @return the simulator this call started, or empty when not wanted or already running on the port */
  public static Future<Optional<StripeSimulatorVerticle>> deployIfWanted(Vertx vertx, StripeSettings s,
                                                                      String storefrontBaseUrl, String totBaseUrl) {
    if (!s.simulator()) {
      return Future.succeededFuture(Optional.empty());
    }
    // Vert.x shares a port between servers of one JVM (round-robin): a second simulator here would not fail to
    // bind, it would split requests across two separate in-memory Stripes. One per JVM, whoever asks first.
    if (vertx.sharedData().getLocalMap("slabtrack.stripe-simulator").putIfAbsent("started", true) != null) {
      return Future.succeededFuture(Optional.empty());
    }
    StripeSimulatorVerticle sim = new StripeSimulatorVerticle(options(s, storefrontBaseUrl, totBaseUrl));
    return vertx.deployVerticle(sim)
        .map(id -> {
          LOG.info("Stripe simulator listening at {} (checkout pages at {}/checkout/<session>)", sim.baseUrl(),
              sim.baseUrl());
          return Optional.of(sim);
        })
        .recover(t -> {
          if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
            LOG.info("Stripe simulator port {} already in use: assuming another node runs it", s.simulatorPort());
            return Future.succeededFuture(Optional.empty());
          }
          return Future.failedFuture(t);
        });
  }
}
