package io.slabtrack.storefront.orders;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static io.slabtrack.storefront.StorefrontFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.testing.Scrape;
import io.slabtrack.storefront.PayingShop;
import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Storefront purchase through stripe-java and the simulator moves the counters an operator watches: the
 * checkout created and settled paid, its sale-locks, the Stripe calls and the verified webhooks, the outbox that
 * carried the claim, the inbox that took the card in. Read through {@code GET /metrics} like Prometheus would.
 */
class PurchaseMetricsTest {
  private static final String SF = "storefront";
  private static PayingShop shop;
  private static StorefrontFixture sf;

  @BeforeAll
  static void start() throws Exception {
    shop = new PayingShop();
    sf = shop.sf;
  }

  @AfterAll
  static void stop() throws Exception {
    shop.close();
  }

  private interface Call<T> {
    T run() throws Exception;
  }

  private static <T> T call(Call<T> c) {
    try {
      return c.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Scrape scrape() throws Exception {
    Resp r = sf.call("GET", "/metrics", null, sf.operator);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return Scrape.parse(r.body());
  }

  @Test
  void anonymousScrapeIs401() throws Exception {
    Resp r = sf.call("GET", "/metrics", null, null);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body()).doesNotContain("slabtrack_");
  }

  @Test
  void aPaidCheckoutMovesTheCounters() throws Exception {
    long cardId = 9_100_001L;
    Scrape before = scrape();
    // core's publish over the bus, delivered twice (a lost ack): applied once, the second answered from the inbox
    JsonObject publish = cardEvent("publish", PayingShop.SLUG, cardId, 1, 4200L,
        snapshot("Metered Player", "Topps Chrome", 9.5)).put("eventId", UUID.randomUUID().toString());
    for (int i = 0; i < 2; i++) {
      sf.node.vertx().eventBus().request(Addresses.STOREFRONT_CARDS_PUBLISH, publish).await(30, TimeUnit.SECONDS);
    }

    String orderId = shop.order(cardId);
    shop.pay(orderId);
    shop.awaitState(orderId, "paid");
    // a sold card is refused: a refused start
    JsonObject again = new JsonObject().put("cardIds", new JsonArray().add(cardId)).put("email", "buyer@example.com")
        .put("shippingAddress", PayingShop.buyerAddress());
    assertThat(sf.call("POST", "/api/storefronts/" + PayingShop.SLUG + "/checkout", again, null).status())
        .isEqualTo(409);

    StorefrontFixture.await("counters moved", PayingShop.WAIT, () -> {
      Scrape after = call(PurchaseMetricsTest::scrape);
      return moved(before, after, 1, "slabtrack_purchases_started_total", "app", SF, "kind", "checkout",
          "outcome", "created")
          && moved(before, after, 1, "slabtrack_purchases_started_total", "app", SF, "outcome", "refused")
          && moved(before, after, 1, "slabtrack_purchases_settled_total", "app", SF, "kind", "checkout",
          "outcome", "paid")
          && moved(before, after, 1, "slabtrack_salelocks_acquired_total", "app", SF)
          && moved(before, after, 1, "slabtrack_stripe_call_seconds_count", "app", SF,
          "operation", "checkout_session_create", "outcome", "ok")
          && moved(before, after, 1, "slabtrack_stripe_call_seconds_count", "app", SF,
          "operation", "payment_intent_capture", "outcome", "ok")
          && moved(before, after, 1, "slabtrack_stripe_webhooks_total", "app", SF,
          "endpoint", "storefront_platform", "result", "verified")
          // the claim to core, at least
          && moved(before, after, 1, "slabtrack_outbox_delivered_total", "app", SF);
    });
    Scrape after = scrape();
    String address = Addresses.STOREFRONT_CARDS_PUBLISH;
    assertThat(after.sum("slabtrack_inbox_applied_total", "app", SF, "address", address)
        - before.sum("slabtrack_inbox_applied_total", "app", SF, "address", address)).isEqualTo(1);
    assertThat(after.sum("slabtrack_inbox_duplicates_total", "app", SF, "address", address)
        - before.sum("slabtrack_inbox_duplicates_total", "app", SF, "address", address)).isEqualTo(1);
    assertThat(after.sum("slabtrack_purchases_started_total", "outcome", "failed")).isZero();
    assertThat(after.sum("slabtrack_stripe_errors_total")).isZero();
    // no order or card ids as label values: every label value is one of a short fixed list
    assertThat(after.has("slabtrack_purchases_settled_total", "order", orderId)).isFalse();
    assertThat(scrapeText()).doesNotContain(orderId).doesNotContain(String.valueOf(cardId));
  }

  private static String scrapeText() throws Exception {
    return sf.call("GET", "/metrics", null, sf.operator).body();
  }

  private static boolean moved(Scrape before, Scrape after, double atLeast, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels) >= atLeast;
  }
}
