package io.slabtrack.launcher.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.cluster.stripe.StripeGateway;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.simulator.stripe.StripeSimulatorVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DevStripeSimulatorTest {

  @Test
  void devSettingsWireBothSatellitesWithTheirSecrets() {
    StripeSettings s = StripeSettings.load(new Settings(Map.of()), RunMode.DEV);
    JsonObject options = DevStripeSimulator.options(s, "http://127.0.0.1:8082", "http://127.0.0.1:8081");
    assertThat(options.getInteger("port")).isEqualTo(12111);
    assertThat(options.getJsonArray("webhooks")).containsExactly(
        StripeSimulatorVerticle.endpoint("http://127.0.0.1:8082/api/stripe/webhook", "whsec_dev_storefront", false),
        StripeSimulatorVerticle.endpoint("http://127.0.0.1:8082/api/stripe/connect/webhook",
            "whsec_dev_storefront_connect", true),
        StripeSimulatorVerticle.endpoint("http://127.0.0.1:8081/api/stripe/webhook", "whsec_dev_tot", false));
  }

  @Test
  void aSecondStartOnTheSamePortDefersToTheFirstAndUnconfiguredSettingsStartNothing() {
    Vertx vertx = Vertx.vertx();
    try {
      StripeSettings s = StripeSettings.load(new Settings(Map.of("STRIPE_SIMULATOR_PORT", "0")), RunMode.DEV);
      Optional<StripeSimulatorVerticle> first = DevStripeSimulator.deployIfWanted(vertx, s, "http://a", "http://b")
          .await();
      assertThat(first).isPresent();
      StripeSettings same = StripeSettings.load(new Settings(Map.of("STRIPE_SIMULATOR_PORT",
          String.valueOf(first.get().port()))), RunMode.DEV);
      assertThat(DevStripeSimulator.deployIfWanted(vertx, same, "http://a", "http://b").await()).isEmpty();

      StripeSettings off = StripeSettings.load(new Settings(Map.of()), RunMode.NODE);
      assertThat(DevStripeSimulator.deployIfWanted(vertx, off, "http://a", "http://b").await()).isEmpty();
      StripeGateway gateway = new StripeGateway(vertx, off, AppName.TOT);
      assertThat(gateway.configured()).isFalse();
      assertThat(gateway.retrievePaymentIntent("pi_1").otherwise(t -> {
        assertThat(t).isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(503);
          assertThat(e.code()).isEqualTo("payments_not_configured");
        });
        return null;
      }).await()).isNull();
    } finally {
      vertx.close().await();
    }
  }
}
