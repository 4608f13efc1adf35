package io.slabtrack.storefront.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.storefront.StorefrontApp;
import io.slabtrack.storefront.StorefrontFixture;
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
      // the fixture's simulator serves the API (in dev the launcher starts one; the seed only talks to STRIPE_API_BASE)
      try (TestNode node = TestNode.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl(),
          "STRIPE_SIMULATOR_PORT", "0"), app)) {
        var ctx = node.runtime(AppName.STOREFRONT).context();
        app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
        app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
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

  /**
   * Dev restarted on the same database: the simulator starts empty, so the account stored for the demo shop is
   * unknown to it. The seed connects the shop afresh, and a buyer can check out (it was 400 "No such destination").
   */
  @Test
  void afterARestartWithAFreshSimulatorTheDemoShopStillSells() throws Exception {
    try (StripeSimFixture sim = new StripeSimFixture(AppName.STOREFRONT)) {
      StorefrontApp app = new StorefrontApp();
      try (TestNode node = TestNode.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl(),
          "STRIPE_SIMULATOR_PORT", "0"), app)) {
        var ctx = node.runtime(AppName.STOREFRONT).context();
        app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
        String first = node.sql(AppName.STOREFRONT, "SELECT stripe_account_id FROM storefronts WHERE slug = 'demo'")
            .iterator().next().getString(0);
        node.sql(AppName.STOREFRONT, "UPDATE storefronts SET stripe_account_id = 'acct_of_the_last_simulator' "
            + "WHERE slug = 'demo'");
        app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
        String now = node.sql(AppName.STOREFRONT, "SELECT stripe_account_id FROM storefronts WHERE slug = 'demo'")
            .iterator().next().getString(0);
        assertThat(now).startsWith("acct_").isNotEqualTo("acct_of_the_last_simulator");
        app.seedDemo(ctx).await(60, TimeUnit.SECONDS);
        assertThat(node.sql(AppName.STOREFRONT, "SELECT stripe_account_id FROM storefronts WHERE slug = 'demo'")
            .iterator().next().getString(0)).as("a known account is kept").isEqualTo(now);
        assertThat(first).startsWith("acct_");

        String service = TestTokens.service(TestNode.SECRET, AppName.CORE, AppName.STOREFRONT);
        post(node, "/api/storefronts/demo/cards", service, StorefrontFixture.cardEvent("publish", "demo", 4242, 1,
            2500L, StorefrontFixture.snapshot("Demo Player", "Prizm", 10)), 200);
        post(node, "/api/storefronts/demo/checkout", null, new JsonObject()
            .put("cardIds", new io.vertx.core.json.JsonArray().add(4242)).put("email", "bea@example.com")
            .put("shippingAddress", new JsonObject().put("name", "Bea").put("line1", "2 Elm St").put("city", "Boston")
                .put("postalCode", "02101").put("country", "US")), 201);
      }
    }
  }

  private static void post(TestNode node, String path, String token, JsonObject body, int expected) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url(AppName.STOREFRONT, path)))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(b.build(), HttpResponse.BodyHandlers.ofString());
    StorefrontFixture.CONTRACT.check("POST", path, r.statusCode(), r.headers().map(), r.body());
    assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(expected);
  }
}
