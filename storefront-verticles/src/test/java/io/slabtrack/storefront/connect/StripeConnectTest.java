package io.slabtrack.storefront.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.simulator.stripe.WebhookSignatures;
import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connect Express onboarding through stripe-java against the simulator, and the Connect webhook's flags: the newest
 * word on an account wins, whether it came as an event or from reading the account.
 */
class StripeConnectTest {
  private static final String CONNECT = StripeSettings.DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET;
  private static StripeSimFixture sim;
  private static StorefrontFixture sf;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.STOREFRONT);
    sf = StorefrontFixture.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl()));
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", sf.node.url(AppName.STOREFRONT, "/api/stripe/connect/webhook")).put("secret", CONNECT)
        .put("connect", true));
  }

  @AfterAll
  static void stop() throws Exception {
    sf.close();
    sim.close();
  }

  private static boolean accepting(String slug) {
    try {
      return sf.get("/api/storefronts/" + slug).json().getBoolean("acceptingOrders");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void ownerOnboardsAndTheConnectWebhookOpensTheShop() throws Exception {
    sf.shop("hanks", "hank");
    String onboarding = "/api/storefronts/hanks/stripe/onboarding";
    Resp other = sf.call("POST", onboarding, null, StorefrontFixture.vendor("mallory"));
    assertThat(other.status()).isEqualTo(403);
    assertThat(sf.count("SELECT count(*) FROM storefronts WHERE stripe_account_id IS NOT NULL AND slug = 'hanks'"))
        .isZero();

    Resp first = sf.call("POST", onboarding, null, StorefrontFixture.vendor("hank"));
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    String account = first.json().getString("accountId");
    assertThat(account).startsWith("acct_");
    assertThat(first.json().getBoolean("chargesEnabled")).isFalse();
    Resp again = sf.call("POST", onboarding, null, sf.operator);
    assertThat(again.json().getString("accountId")).as("one account per shop").isEqualTo(account);
    assertThat(again.json().getString("url")).as("a fresh link each time").isNotEqualTo(first.json().getString("url"));
    assertThat(accepting("hanks")).isFalse();

    // the seller completes onboarding on Stripe's page; account.updated arrives at the Connect endpoint
    var opened = sim.http.getAbs(again.json().getString("url")).followRedirects(false).send().await();
    assertThat(opened.statusCode()).isEqualTo(302);
    StorefrontFixture.await("charges enabled", Duration.ofSeconds(10), () -> accepting("hanks"));
    Resp owner = sf.call("GET", "/api/storefronts", null, StorefrontFixture.vendor("hank"));
    assertThat(owner.items().getJsonObject(0).getJsonObject("stripe").getBoolean("detailsSubmitted")).isTrue();

    // an older account.updated delivered late doesn't close the shop again
    JsonObject stale = accountUpdated(account, false, Instant.now().minusSeconds(3600).getEpochSecond());
    assertThat(deliver(stale.encode(), CONNECT, Instant.now()).status()).isEqualTo(200);
    assertThat(accepting("hanks")).isTrue();
  }

  @Test
  void anEventCreatedWhileTheAccountIsReadIsNotOverwrittenByTheOlderAnswer() throws Exception {
    sf.shop("readers", "rae");
    String onboarding = "/api/storefronts/readers/stripe/onboarding";
    String account = sf.call("POST", onboarding, null, StorefrontFixture.vendor("rae")).json().getString("accountId");
    assertThat(accepting("readers")).isFalse();
    // Stripe reads the account (still without charges) and takes 4 s to answer; meanwhile its charges are enabled
    sim.control("/_sim/latency", new JsonObject().put("ms", 4_000).put("path", "/v1/accounts/" + account));
    ExecutorService owner = Executors.newSingleThreadExecutor();
    try {
      CompletableFuture<Resp> reading = CompletableFuture.supplyAsync(() -> {
        try {
          return sf.call("POST", onboarding, null, StorefrontFixture.vendor("rae"));
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }, owner);
      Thread.sleep(1_500); // a later second than the read's start
      assertThat(deliver(accountUpdated(account, true, Instant.now().getEpochSecond()).encode(), CONNECT,
          Instant.now()).status()).isEqualTo(200);
      assertThat(accepting("readers")).isTrue();

      Resp read = reading.get(30, TimeUnit.SECONDS);
      assertThat(read.status()).as(read.toString()).isEqualTo(200);
      assertThat(read.json().getBoolean("chargesEnabled")).as("the read's answer is from before the event").isFalse();
      assertThat(accepting("readers")).as("the event is newer than that answer: the shop stays open").isTrue();
    } finally {
      owner.shutdown();
      sim.control("/_sim/latency", new JsonObject().put("ms", 0));
    }
  }

  @Test
  void badSignaturesAre400AndChangeNothing() throws Exception {
    sf.shop("sigs", "ivy");
    String account = sf.call("POST", "/api/storefronts/sigs/stripe/onboarding", null, StorefrontFixture.vendor("ivy"))
        .json().getString("accountId");
    String body = accountUpdated(account, true, Instant.now().getEpochSecond()).encode();
    assertThat(deliver(body, "whsec_wrong", Instant.now()).status()).isEqualTo(400);
    assertThat(deliver(body, CONNECT, Instant.now().minusSeconds(301)).status()).as("stale").isEqualTo(400);
    String signed = WebhookSignatures.header(CONNECT, body, Instant.now().getEpochSecond());
    assertThat(sf.call("POST", "/api/stripe/connect/webhook", body.replace("\"charges_enabled\":true",
        "\"charges_enabled\":false "), null, Map.of("Stripe-Signature", signed)).status()).as("tampered").isEqualTo(400);
    assertThat(sf.call("POST", "/api/stripe/connect/webhook", body, null).status()).as("unsigned").isEqualTo(400);
    assertThat(accepting("sigs")).isFalse();
    assertThat(sf.count("SELECT count(*) FROM stripe_events WHERE event_id = $1", new JsonObject(body).getString("id")))
        .isZero();

    Resp ok = deliver(body, CONNECT, Instant.now());
    assertThat(ok.status()).isEqualTo(200);
    assertThat(accepting("sigs")).isTrue();
    assertThat(deliver(body, CONNECT, Instant.now()).status()).as("a replay is acknowledged").isEqualTo(200);
    assertThat(sf.count("SELECT count(*) FROM stripe_events WHERE event_id = $1", new JsonObject(body).getString("id")))
        .isEqualTo(1);
  }

  private static JsonObject accountUpdated(String account, boolean charges, long created) {
    return new JsonObject().put("id", "evt_" + UUID.randomUUID().toString().replace("-", "")).put("object", "event")
        .put("type", "account.updated").put("created", created).put("account", account)
        .put("data", new JsonObject().put("object", new JsonObject().put("id", account).put("object", "account")
            .put("charges_enabled", charges).put("details_submitted", charges)));
  }

  private static Resp deliver(String body, String secret, Instant at) throws Exception {
    return sf.call("POST", "/api/stripe/connect/webhook", new RawJson(body), null,
        Map.of("Stripe-Signature", WebhookSignatures.header(secret, body, at.getEpochSecond())));
  }

  /** A body sent byte for byte as given (the signature covers the exact bytes). */
  private record RawJson(String text) {
    @Override
    public String toString() {
      return text;
    }
  }
}
