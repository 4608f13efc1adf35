package io.slabtrack.storefront.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.storefront.StorefrontFixture;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connect onboarding's return and refresh links lead to real pages of the shop (they were /shops/{slug}/stripe/…,
 * a 404): the owner sees whether the shop can take orders, an expired link is replaced; others get 401/403 pages.
 */
class OnboardingPagesTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static StripeSimFixture sim;
  private static StorefrontFixture sf;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    sf = StorefrontFixture.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl()));
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", sf.node.url(AppName.STOREFRONT, "/api/stripe/connect/webhook"))
        .put("secret", StripeSettings.DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET).put("connect", true));
    sf.shop("onboard-me", "olive");
  }

  @AfterAll
  static void stop() throws Exception {
    sf.close();
    sim.close();
  }

  private static HttpResponse<String> page(String path, String session) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sf.node.url(AppName.STOREFRONT, path)))
        .header("Accept", "text/html");
    if (session != null) {
      b.header("Cookie", "st_storefront=" + session);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void stripeSendsTheOwnerBackToTheShopsOwnPages() throws Exception {
    String owner = StorefrontFixture.vendor("olive");
    JsonObject link = sf.call("POST", "/api/storefronts/onboard-me/stripe/onboarding", null, owner).json();

    HttpResponse<String> before = page("/s/onboard-me/manage/stripe/return", owner);
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(Jsoup.parse(before.body()).select("[data-test=stripe-heading]").text())
        .isEqualTo("Payments aren't set up yet");

    HttpResponse<String> refresh = page("/s/onboard-me/manage/stripe/refresh", owner);
    assertThat(refresh.statusCode()).isEqualTo(303);
    String fresh = refresh.headers().firstValue("Location").orElseThrow();
    assertThat(fresh).startsWith(sim.simulator.baseUrl() + "/connect/onboard/").isNotEqualTo(link.getString("url"));

    // the simulator completes onboarding when its link is opened and sends the owner to the return URL
    var done = sim.http.getAbs(fresh).followRedirects(false).send().await();
    assertThat(URI.create(done.getHeader("Location")).getPath()).isEqualTo("/s/onboard-me/manage/stripe/return");
    HttpResponse<String> after = page("/s/onboard-me/manage/stripe/return", owner);
    assertThat(Jsoup.parse(after.body()).select("[data-test=stripe-heading]").text())
        .isEqualTo("Payments are set up");
    assertThat(sf.get("/api/storefronts/onboard-me").json().getBoolean("acceptingOrders")).isTrue();
  }

  @Test
  void strangersGetTheForbiddenPageAndNobodyTheSignInPage() throws Exception {
    HttpResponse<String> stranger = page("/s/onboard-me/manage/stripe/return", StorefrontFixture.vendor("mallory"));
    assertThat(stranger.statusCode()).isEqualTo(403);
    assertThat(Jsoup.parse(stranger.body()).select("h1").text()).isEqualTo("Not allowed");
    HttpResponse<String> nobody = page("/s/onboard-me/manage/stripe/refresh", null);
    assertThat(nobody.statusCode()).isEqualTo(401);
    assertThat(Jsoup.parse(nobody.body()).select("h1").text()).isEqualTo("Sign-in needed");
  }
}
