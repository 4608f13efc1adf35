package io.slabtrack.storefront.orders;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static io.slabtrack.storefront.StorefrontFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Storefront whose Stripe pool is saturated (one thread, one queued call, Stripe answering in 15 s) refuses the next
 * checkout with 503 {@code payments_busy} and Retry-After, and changes nothing: no order row, no sale-lock (the card
 * can be bought once Stripe keeps up again). A Stripe that doesn't answer in time leaves no pending order either; and a
 * retry of a checkout whose Stripe call is slow waits for that call and gets its checkout page.
 */
class CheckoutBackPressureTest {

  @Test
  void saturatedStripeAnswers503WithRetryAfterAndChangesNothing() throws Exception {
    try (StripeSimFixture sim = new StripeSimFixture(AppName.STOREFRONT);
         StorefrontFixture sf = StorefrontFixture.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl(),
             "STRIPE_CALL_THREADS", "1", "STRIPE_CALL_QUEUE", "1", "STRIPE_CALL_TIMEOUT_MS", "40000"))) {
      connect(sim, sf, "busy-shop");
      for (long id = 1; id <= 3; id++) {
        sf.publish(cardEvent("publish", "busy-shop", id, 1, 1_000L, snapshot("P" + id, "Prizm", 10)));
      }
      sim.control("/_sim/latency", new JsonObject().put("ms", 15_000));
      // two checkouts hold the only thread and the only queue slot; sent from threads of their own (the common
      // fork-join pool has a single thread on a 2-core machine, and would send the second only after the first).
      // The second goes once the first is running: sent together, the second can find the first still in the queue
      // (the pool's thread not yet awake to take it) and be refused itself.
      ExecutorService buyers = Executors.newFixedThreadPool(2);
      CompletableFuture<Resp> first =
          CompletableFuture.supplyAsync(() -> checkout(sf, "busy-shop", 1, "first@example.com"), buyers);
      StorefrontFixture.await("the first Stripe call running", Duration.ofSeconds(20),
          () -> gauge(sf, "slabtrack_stripe_calls_running") == 1);
      List<CompletableFuture<Resp>> holding = List.of(first,
          CompletableFuture.supplyAsync(() -> checkout(sf, "busy-shop", 2, "second@example.com"), buyers));
      // read as an operator would: one call waiting on Stripe, one queued behind it (the pool's whole capacity)
      StorefrontFixture.await("one Stripe call running and one queued", Duration.ofSeconds(20),
          () -> gauge(sf, "slabtrack_stripe_calls_running") == 1 && gauge(sf, "slabtrack_stripe_calls_queued") == 1);
      assertThat(count(sf, "SELECT count(*) FROM orders")).as("both holding checkouts wrote their order").isEqualTo(2);

      Resp refused = checkout(sf, "busy-shop", 3, "third@example.com");
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.json().getString("error")).isEqualTo("payments_busy");
      assertThat(Integer.parseInt(refused.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
      assertThat(sf.sql("SELECT count(*) FROM orders WHERE email = 'third@example.com'").iterator().next().getLong(0))
          .as("no order for the refused checkout").isZero();

      for (CompletableFuture<Resp> f : holding) {
        assertThat(f.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);
      }
      buyers.shutdown();
      sim.control("/_sim/latency", new JsonObject().put("ms", 0));
      assertThat(checkout(sf, "busy-shop", 3, "third@example.com").status())
          .as("the refused checkout locked nothing: the card can be bought now").isEqualTo(201);
    }
  }

  @Test
  void aStripeThatDoesNotAnswerInTimeLeavesNoPendingOrder() throws Exception {
    try (StripeSimFixture sim = new StripeSimFixture(AppName.STOREFRONT);
         StorefrontFixture sf = StorefrontFixture.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl(),
             "STRIPE_CALL_TIMEOUT_MS", "500"))) {
      connect(sim, sf, "slow-shop");
      sf.publish(cardEvent("publish", "slow-shop", 1, 1, 1_000L, snapshot("P1", "Prizm", 10)));
      sim.control("/_sim/latency", new JsonObject().put("ms", 2_000).put("path", "/v1/checkout"));
      Resp timedOut = checkout(sf, "slow-shop", 1, "slow@example.com");
      assertThat(timedOut.status()).as(timedOut.body()).isEqualTo(503);
      assertThat(timedOut.json().getString("error")).isEqualTo("payment_provider_timeout");
      assertThat(timedOut.raw().headers().firstValue("Retry-After")).isPresent();
      assertThat(sf.sql("SELECT count(*) FROM orders WHERE state = 'pending'").iterator().next().getLong(0))
          .as("the order was cancelled, not left pending").isZero();
      sim.control("/_sim/latency", new JsonObject().put("ms", 0));
      // a held lock answers 409 at once; a 503 is this run's Stripe call timing out again on a loaded machine (the
      // 500 ms timeout above), which cancels that attempt too: retried as a buyer would
      Resp again = checkout(sf, "slow-shop", 1, "slow@example.com");
      for (int attempt = 1; again.status() == 503 && attempt < 5; attempt++) {
        Thread.sleep(500);
        again = checkout(sf, "slow-shop", 1, "slow@example.com");
      }
      assertThat(again.status()).as("its lock was released: the card can be bought (%s)", again).isEqualTo(201);
    }
  }

  @Test
  void aRetryWhileStripeIsSlowGetsTheFirstRequestsCheckoutPage() throws Exception {
    try (StripeSimFixture sim = new StripeSimFixture(AppName.STOREFRONT);
         StorefrontFixture sf = StorefrontFixture.start(Map.of("STRIPE_API_BASE", sim.simulator.baseUrl()))) {
      connect(sim, sf, "patient-shop");
      sf.publish(cardEvent("publish", "patient-shop", 1, 1, 1_000L, snapshot("P1", "Prizm", 10)));
      // slower than a retry used to wait (5 s), well within the Stripe call's timeout (10 s)
      sim.control("/_sim/latency", new JsonObject().put("ms", 6_500).put("path", "/v1/checkout"));
      String key = "patient-" + java.util.UUID.randomUUID();
      ExecutorService buyer = Executors.newSingleThreadExecutor();
      CompletableFuture<Resp> first = CompletableFuture.supplyAsync(
          () -> checkout(sf, "patient-shop", 1, "patient@example.com", key), buyer);
      StorefrontFixture.await("the first request's order written", Duration.ofSeconds(20),
          () -> count(sf, "SELECT count(*) FROM orders") == 1);

      Resp retry = checkout(sf, "patient-shop", 1, "patient@example.com", key);
      Resp original = first.get(60, TimeUnit.SECONDS);
      buyer.shutdown();
      sim.control("/_sim/latency", new JsonObject().put("ms", 0));
      assertThat(original.status()).as(original.body()).isEqualTo(201);
      assertThat(retry.status()).as(retry.body()).isEqualTo(201);
      assertThat(retry.json().getString("orderId")).isEqualTo(original.json().getString("orderId"));
      assertThat(retry.json().getString("checkoutUrl")).as("the retry waited for the first request's session")
          .isNotNull().isEqualTo(original.json().getString("checkoutUrl"));
    }
  }

  private static void connect(StripeSimFixture sim, StorefrontFixture sf, String slug) throws Exception {
    sim.control("/_sim/webhook_endpoints", new JsonObject()
        .put("url", sf.node.url(AppName.STOREFRONT, "/api/stripe/connect/webhook"))
        .put("secret", StripeSettings.DEV_STOREFRONT_CONNECT_WEBHOOK_SECRET).put("connect", true));
    sf.shop(slug, slug + "-owner");
    Resp onboarding = sf.call("POST", "/api/storefronts/" + slug + "/stripe/onboarding", null,
        StorefrontFixture.vendor(slug + "-owner"));
    sim.http.getAbs(onboarding.json().getString("url")).followRedirects(false).send().await();
    StorefrontFixture.await("shop connected", Duration.ofSeconds(30),
        () -> {
          try {
            return sf.get("/api/storefronts/" + slug).json().getBoolean("acceptingOrders");
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
  }

  /** A gauge of the app's {@code GET /metrics}, as Prometheus reads it. */
  private static double gauge(StorefrontFixture sf, String name) {
    try {
      Resp metrics = sf.call("GET", "/metrics", null, sf.operator);
      assertThat(metrics.status()).isEqualTo(200);
      return metrics.body().lines().filter(l -> l.startsWith(name + "{") && l.contains("app=\"storefront\""))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long count(StorefrontFixture sf, String sql) {
    try {
      return sf.sql(sql).iterator().next().getLong(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Resp checkout(StorefrontFixture sf, String slug, long cardId, String email) {
    return checkout(sf, slug, cardId, email, null);
  }

  private static Resp checkout(StorefrontFixture sf, String slug, long cardId, String email, String idempotencyKey) {
    try {
      return sf.call("POST", "/api/storefronts/" + slug + "/checkout", new JsonObject()
          .put("cardIds", new JsonArray().add(cardId)).put("email", email)
          .put("shippingAddress", new JsonObject().put("name", "B").put("line1", "1 St").put("city", "X")
              .put("postalCode", "1").put("country", "US")), null,
          idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
