package io.slabtrack.storefront.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.storefront.StorefrontApp;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Dev's demo seed: the {@code demo} shop, connected through the simulator, seeded once however often it runs. */
class DemoShopTest {

  @Test
  void theDemoShopIsSeededOnceAndAcceptsOrders() throws Exception {
    try (StripeSimFixture sim = new StripeSimFixture(AppName.STOREFRONT)) {
      StorefrontApp app = new StorefrontApp();
      // the fixture's simulator serves the API; the dev simulator the seed starts takes any free port
      try (TestNode node = TestNode.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl(),
          "STRIPE_SIMULATOR_PORT", "0"), app)) {
        var ctx = node.runtime(AppName.STOREFRONT).context();
        app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
        app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(node.url(AppName.STOREFRONT, "/api/storefronts/demo"))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject shop = new JsonObject(r.body());
        assertThat(shop.getBoolean("acceptingOrders")).isTrue();
        assertThat(shop.getJsonObject("theme").getString("preset")).isEqualTo("showcase");
        assertThat(ctx.pool().query("SELECT count(*) FROM storefronts").execute().await(30, TimeUnit.SECONDS)
            .iterator().next().getLong(0)).isEqualTo(1L);
      }
    }
  }
}
