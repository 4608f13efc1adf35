package io.slabtrack.storefront.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.limits.HoldSettler;
import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.cluster.testing.ClientAt;
import io.slabtrack.cluster.testing.ClientAt.Resp;
import io.slabtrack.cluster.testing.RateWindowRoom;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.storefront.PayingShop;
import io.slabtrack.storefront.StorefrontApp;
import io.slabtrack.storefront.StorefrontFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Anonymous checkout can't be used to hold the shop's inventory: one client looping over card ids is stopped at
 * the pending and creation limits (429 with Retry-After, nothing locked or created), counted across two Storefront
 * nodes on one database, while other buyers still check out; and a buyer who cancels gives the cards back at once.
 * Every client talks real HTTP from its own loopback address.
 */
@ExtendWith(RateWindowRoom.class)
class HoardingTest {
  private static final String CHECKOUT = "/api/storefronts/" + PayingShop.SLUG + "/checkout";
  private static PayingShop shop;
  private static TestNode second;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> limits = Map.of("BUYER_LIMIT_PENDING_PER_ADDRESS", "4", "BUYER_LIMIT_PENDING_PER_EMAIL", "2",
        "BUYER_LIMIT_PER_ADDRESS", "6", "BUYER_LIMIT_PER_EMAIL", "0", "BUYER_LIMIT_WINDOW_SECONDS", "86400");
    shop = new PayingShop(false, limits);
    Map<String, String> sameDb = new HashMap<>(limits);
    sameDb.put("STOREFRONT_DB", shop.sf.node.database(AppName.STOREFRONT).database());
    sameDb.put("STRIPE_API_BASE", shop.sim.simulator.baseUrl());
    sameDb.put("STRIPE_SIMULATOR", "true");
    second = TestNode.start(sameDb, new StorefrontApp());
  }

  @AfterAll
  static void stop() throws Exception {
    second.close();
    shop.close();
  }

  @Test
  void aLoopOverCardIdsIsStoppedAtThePendingLimitAcrossNodesAndOthersStillBuy() throws Exception {
    List<Long> cards = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      cards.add(shop.card(1_000 + i));
    }
    String[] nodes = {url(shop.sf.node, CHECKOUT), url(second, CHECKOUT)};
    List<String> created = new ArrayList<>();
    try (ClientAt hoarder = client("127.0.0.10")) {
      for (int i = 0; i < cards.size(); i++) {
        // a fresh e-mail every time: only the address can catch this loop
        Resp r = hoarder.post(nodes[i % 2], body("hoarder" + i + "@example.com", cards.get(i)));
        if (i < 4) {
          assertThat(r.status()).as(r.toString()).isEqualTo(201);
          created.add(r.json().getString("orderId"));
        } else {
          assertThat(r.status()).as("checkout %d from one address, over both nodes: %s", i + 1, r).isEqualTo(429);
          assertThat(r.error()).isEqualTo("rate_limited");
          assertThat(r.json().getJsonObject("details").getString("limit")).isEqualTo("pending_per_address");
          int retryAfter = Integer.parseInt(r.headers().get("Retry-After"));
          assertThat(retryAfter).as("until the oldest checkout's locks expire").isBetween(1, 600);
        }
      }
    }
    assertThat(shop.sf.count("SELECT count(*) FROM orders WHERE email LIKE 'hoarder%'")).isEqualTo(4);
    // a checkout refused at the pending cap was not counted against the address's rate window (the count and the
    // hit are one statement; the hit happens only under the caps)
    assertThat(shop.sf.count("SELECT coalesce(sum(hits), 0) FROM rate_windows WHERE bucket = 'buyer:addr:127.0.0.10'"))
        .isEqualTo(4);
    // each test node is its own one-member cluster, so each has its own sale-lock map: look in both
    assertThat(holders(shop.sf.node, cards.subList(4, cards.size()))).as("nothing locked past the limit").isEmpty();
    assertThat(holders(second, cards.subList(4, cards.size()))).isEmpty();
    assertThat(holders(shop.sf.node, cards.subList(0, 4)).size() + holders(second, cards.subList(0, 4)).size())
        .isEqualTo(4);

    try (ClientAt other = client("127.0.0.11")) {
      Resp r = other.post(nodes[0], body("someone@example.com", cards.get(7)));
      assertThat(r.status()).as("another buyer still checks out: %s", r).isEqualTo(201);
    }
  }

  @Test
  void oneEmailFromManyAddressesIsStoppedAtThePendingLimit() throws Exception {
    long[] cards = {shop.card(2_000), shop.card(2_001), shop.card(2_002), shop.card(2_003)};
    for (int i = 0; i < 3; i++) {
      try (ClientAt c = client("127.0.0.2" + i)) {
        Resp r = c.post(url(shop.sf.node, CHECKOUT), body("same.person+" + i + "@example.com", cards[i]));
        if (i < 2) {
          assertThat(r.status()).as(r.toString()).isEqualTo(201);
        } else {
          assertThat(r.status()).as("a third open checkout for one mailbox (+tags are one mailbox): %s", r)
              .isEqualTo(429);
          assertThat(r.json().getJsonObject("details").getString("limit")).isEqualTo("pending_per_email");
          assertThat(r.headers().get("Retry-After")).isNotBlank();
        }
      }
    }
    assertThat(holders(List.of(cards[2]))).isEmpty();
    try (ClientAt c = client("127.0.0.22")) {
      assertThat(c.post(url(shop.sf.node, CHECKOUT), body("another@example.com", cards[3])).status()).isEqualTo(201);
    }
  }

  @Test
  void cancellingReleasesTheLocksAtOnceAndStopsCounting() throws Exception {
    long[] cards = {shop.card(3_000), shop.card(3_001), shop.card(3_002)};
    try (ClientAt buyer = client("127.0.0.40"); ClientAt next = client("127.0.0.41")) {
      Resp first = buyer.post(url(shop.sf.node, CHECKOUT), body("changed.mind@example.com", cards));
      assertThat(first.status()).as(first.toString()).isEqualTo(201);
      String orderId = first.json().getString("orderId");
      String cancelUrl = first.json().getString("cancelUrl");
      assertThat(next.post(url(shop.sf.node, CHECKOUT), body("next@example.com", cards[1])).status())
          .as("held by the first buyer").isEqualTo(409);

      String wrongToken = cancelUrl.substring(0, cancelUrl.indexOf("token=") + 6) + "not-the-token";
      assertThat(next.post(url(shop.sf.node, wrongToken), new JsonObject()).status()).isEqualTo(404);
      assertThat(shop.get(orderId).getString("state")).isEqualTo("pending");

      Resp cancelled = buyer.post(url(shop.sf.node, cancelUrl), new JsonObject());
      assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
      assertThat(cancelled.json().getString("state")).isEqualTo("cancelled");
      // Stripe's checkout.session.expired (sent when we expire the session) may cancel it first: same end
      assertThat(cancelled.json().getString("cancelReason")).isIn("buyer_cancelled", "session_expired");
      // no waiting: the locks went before the answer
      assertThat(holders(List.of(cards[0], cards[1], cards[2]))).isEmpty();
      assertThat(shop.sim.gateway.retrieveCheckoutSession(shop.get(orderId).getString("checkoutSessionId")).await()
          .getStatus()).as("the hosted page can't be paid any more").isEqualTo("expired");
      Resp again = buyer.post(url(shop.sf.node, cancelUrl), new JsonObject());
      assertThat(again.status()).as("a second click: %s", again).isEqualTo(200);

      Resp nextOrder = next.post(url(shop.sf.node, CHECKOUT), body("next@example.com", cards[1]));
      assertThat(nextOrder.status()).as("another buyer gets the cards right away").isEqualTo(201);

      // the settler ends the cancelled checkout's hold (pending counts no longer walk it) and leaves the open one
      var pool = shop.sf.node.runtime(AppName.STOREFRONT).context().pool();
      // (the app's own settler may have run since the cancel and settled it already: then this pass finds none)
      new HoldSettler(pool, OrderSql.STILL_PENDING).settleNow().await(30, TimeUnit.SECONDS);
      String live = "SELECT count(*) FROM buyer_holds WHERE ref = '%s' AND expires_at > now()";
      assertThat(shop.sf.count(live.formatted(orderId))).as("the cancelled checkout's hold is over").isZero();
      assertThat(shop.sf.count(live.formatted(nextOrder.json().getString("orderId"))))
          .as("a pending checkout's hold still counts").isEqualTo(1);
    }
  }

  @Test
  void cancelledCheckoutsStillCountTowardsTheCreationRate() throws Exception {
    try (ClientAt churner = client("127.0.0.30")) {
      for (int i = 1; i <= 7; i++) {
        Resp r = churner.post(url(shop.sf.node, CHECKOUT), body("churn" + i + "@example.com", shop.card(4_000 + i)));
        if (i <= 6) {
          assertThat(r.status()).as(r.toString()).isEqualTo(201);
          // cancelled at once, so the pending limit (4) never bites: only the rate can stop this
          assertThat(churner.post(url(shop.sf.node, r.json().getString("cancelUrl")), new JsonObject()).status())
              .isEqualTo(200);
        } else {
          assertThat(r.status()).as("seventh checkout from one address in the window: %s", r).isEqualTo(429);
          assertThat(r.error()).isEqualTo("rate_limited");
          assertThat(Integer.parseInt(r.headers().get("Retry-After"))).isBetween(1, 86_400);
        }
      }
    }
  }

  @Test
  void retriesOfAKeyedCheckoutAnswerTheSameOrderUncounted() throws Exception {
    long card = shop.card(6_000);
    Map<String, String> key = Map.of("Idempotency-Key", "retry-me");
    try (ClientAt buyer = client("127.0.0.60")) {
      Resp first = buyer.send(io.vertx.core.http.HttpMethod.POST, url(shop.sf.node, CHECKOUT),
          body("retrier@example.com", card), key);
      assertThat(first.status()).as(first.toString()).isEqualTo(201);
      // more retries than the rate (6) and the pending cap (4) allow, over both nodes
      for (int i = 0; i < 8; i++) {
        Resp again = buyer.send(io.vertx.core.http.HttpMethod.POST, url(i % 2 == 0 ? second : shop.sf.node, CHECKOUT),
            body("retrier@example.com", card), key);
        assertThat(again.status()).as("retry %d: %s", i + 1, again).isEqualTo(201);
        assertThat(again.json().getString("orderId")).isEqualTo(first.json().getString("orderId"));
      }
      assertThat(shop.sf.count("SELECT hits FROM rate_windows WHERE bucket = 'buyer:addr:127.0.0.60'"))
          .as("only the first request was counted").isEqualTo(1);
      assertThat(shop.sf.count("SELECT count(*) FROM buyer_holds WHERE client_address = '127.0.0.60'"))
          .as("one hold, written with the order").isEqualTo(1);
    }
  }

  @Test
  void givingUpOnTheHostedPageCancelsAndReturnsToTheShop() throws Exception {
    long card = shop.card(5_000);
    try (ClientAt buyer = client("127.0.0.50")) {
      Resp r = buyer.post(url(shop.sf.node, CHECKOUT), body("browser@example.com", card));
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      String orderId = r.json().getString("orderId");
      String session = shop.get(orderId).getString("checkoutSessionId");
      // the simulator's hosted page: "Cancel" sends the browser to the session's cancel_url
      Resp page = buyer.send(io.vertx.core.http.HttpMethod.POST,
          shop.sim.simulator.baseUrl() + "/checkout/" + session + "/cancel", null, Map.of());
      java.net.URI back = java.net.URI.create(page.headers().get("Location"));
      assertThat(back.getPath()).as(page.toString()).isEqualTo("/orders/" + orderId + "/cancel");
      // the test node's public URL names port 0 (it listens on a free one): same path, the port it got
      Resp landing = buyer.get(url(shop.sf.node, back.getRawPath() + "?" + back.getRawQuery()));
      assertThat(landing.status()).as(landing.toString()).isEqualTo(303);
      assertThat(landing.headers().get("Location")).startsWith("/s/" + PayingShop.SLUG);
      assertThat(shop.get(orderId).getString("state")).isEqualTo("cancelled");
      assertThat(holders(List.of(card))).isEmpty();
    }
  }

  private static ClientAt client(String address) {
    return new ClientAt(shop.sf.node.vertx(), address).checkedAgainst(StorefrontFixture.CONTRACT);
  }

  private static String url(TestNode node, String path) {
    return node.url(AppName.STOREFRONT, path);
  }

  private static Map<Long, SaleLock> holders(List<Long> cards) throws Exception {
    return holders(shop.sf.node, cards);
  }

  private static Map<Long, SaleLock> holders(TestNode node, List<Long> cards) throws Exception {
    return node.runtime(AppName.STOREFRONT).context().saleLocks().holders(cards).await(10, TimeUnit.SECONDS);
  }

  private static JsonObject body(String email, long... cardIds) {
    JsonArray ids = new JsonArray();
    for (long id : cardIds) {
      ids.add(id);
    }
    return new JsonObject().put("cardIds", ids).put("email", email)
        .put("shippingAddress", new JsonObject().put("name", "Bea Buyer").put("line1", "2 Elm St")
            .put("city", "Boston").put("state", "MA").put("postalCode", "02101").put("country", "US"));
  }
}
