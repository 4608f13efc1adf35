package io.slabtrack.tot.plays;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.salelock.SaleLock;
import io.slabtrack.cluster.stripe.StripeSimFixture;
import io.slabtrack.cluster.testing.ClientAt;
import io.slabtrack.cluster.testing.ClientAt.Resp;
import io.slabtrack.cluster.testing.RateWindowRoom;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Anonymous plays can't be used to hold ToT's listings: one client looping over listings is stopped at the pending
 * limit (429 with Retry-After, nothing locked, no play, no PaymentIntent), others still play; and a buyer who cancels
 * an unpaid play gives its cards back at once. Every client talks real HTTP from its own loopback address.
 */
@ExtendWith(RateWindowRoom.class)
class PlayHoardingTest {
  private static StripeSimFixture sim;
  private static TotFixture tot;
  private static long nextCard = 70_000;

  @BeforeAll
  static void start() throws Exception {
    sim = new StripeSimFixture(AppName.TOT);
    tot = TotFixture.start(Map.of("STRIPE_SIMULATOR", "true", "STRIPE_API_BASE", sim.simulator.baseUrl(),
        "BUYER_LIMIT_PENDING_PER_ADDRESS", "3", "BUYER_LIMIT_PENDING_PER_EMAIL", "2",
        "BUYER_LIMIT_PER_ADDRESS", "20", "BUYER_LIMIT_WINDOW_SECONDS", "86400"));
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
    sim.close();
  }

  @Test
  void aLoopOverListingsIsStoppedAtThePendingLimitAndOthersStillPlay() throws Exception {
    List<Long> listings = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      listings.add(single(5_000 + i));
    }
    try (ClientAt hoarder = client("127.0.0.60")) {
      for (int i = 0; i < listings.size(); i++) {
        Resp r = hoarder.post(url("/api/play/flip"), body("hoarder" + i + "@example.com", listings.get(i)));
        if (i < 3) {
          assertThat(r.status()).as(r.toString()).isEqualTo(201);
        } else {
          assertThat(r.status()).as("play %d from one address: %s", i + 1, r).isEqualTo(429);
          assertThat(r.error()).isEqualTo("rate_limited");
          assertThat(r.json().getJsonObject("details").getString("limit")).isEqualTo("pending_per_address");
          assertThat(Integer.parseInt(r.headers().get("Retry-After"))).isBetween(1, 600);
        }
      }
    }
    assertThat(tot.count("SELECT count(*) FROM plays WHERE email LIKE 'hoarder%'")).isEqualTo(3);
    assertThat(holders(cardsOf(listings.subList(3, listings.size())))).as("nothing locked past the limit").isEmpty();

    try (ClientAt other = client("127.0.0.61")) {
      Resp r = other.post(url("/api/play/flip"), body("player@example.com", listings.get(5)));
      assertThat(r.status()).as("another buyer still plays: %s", r).isEqualTo(201);
      assertThat(other.post(url("/api/play/flip"), body("player@example.com", listings.get(6))).status())
          .isEqualTo(201);
    }
    // one mailbox can't get round its limit from another address (+tags are the same mailbox)
    try (ClientAt elsewhere = client("127.0.0.62")) {
      Resp r = elsewhere.post(url("/api/play/flip"), body("Player+again@example.com", listings.get(7)));
      assertThat(r.status()).as(r.toString()).isEqualTo(429);
      assertThat(r.json().getJsonObject("details").getString("limit")).isEqualTo("pending_per_email");
    }
  }

  @Test
  void cancellingAnUnpaidPlayReleasesItsCardsAtOnce() throws Exception {
    long listing = single(9_000);
    try (ClientAt buyer = client("127.0.0.70"); ClientAt next = client("127.0.0.71")) {
      Resp played = buyer.post(url("/api/play/flip"), body("changed.mind@example.com", listing));
      assertThat(played.status()).as(played.toString()).isEqualTo(201);
      String playId = played.json().getString("playId");
      assertThat(next.post(url("/api/play/flip"), body("next@example.com", listing)).status())
          .as("held by the first play").isEqualTo(409);
      assertThat(next.post(url("/api/play/play_no-such-play/cancel"), new JsonObject()).status()).isEqualTo(404);

      Resp cancelled = buyer.post(url("/api/play/" + playId + "/cancel"), new JsonObject());
      assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
      assertThat(cancelled.json().getString("status")).isEqualTo("VOID");
      // no waiting: the locks went before the answer
      assertThat(holders(cardsOf(List.of(listing)))).isEmpty();
      String pi = tot.sql("SELECT payment_intent_id FROM plays WHERE id = $1", playId).iterator().next().getString(0);
      assertThat(sim.client.v1().paymentIntents().retrieve(pi).getStatus()).isEqualTo("canceled");
      assertThat(buyer.post(url("/api/play/" + playId + "/cancel"), new JsonObject()).status())
          .as("a second click").isEqualTo(200);

      assertThat(next.post(url("/api/play/flip"), body("next@example.com", listing)).status())
          .as("another buyer plays the card right away").isEqualTo(201);
    }
  }

  private static ClientAt client(String address) {
    return new ClientAt(tot.node.vertx(), address).checkedAgainst(TotFixture.CONTRACT);
  }

  private static String url(String path) {
    return tot.node.url(AppName.TOT, path);
  }

  private static long single(long cents) throws Exception {
    long card = nextCard++;
    tot.ingest(TotFixture.single("publish", card, 1, cents));
    return tot.sql("SELECT id FROM listings WHERE listing_key = $1", "card:" + card).iterator().next().getLong(0);
  }

  private static List<Long> cardsOf(List<Long> listingIds) throws Exception {
    List<Long> out = new ArrayList<>();
    for (long id : listingIds) {
      tot.sql("SELECT card_id FROM listing_cards WHERE listing_id = $1", id).forEach(r -> out.add(r.getLong(0)));
    }
    return out;
  }

  private static Map<Long, SaleLock> holders(List<Long> cardIds) throws Exception {
    return tot.node.runtime(AppName.TOT).context().saleLocks().holders(cardIds).await(10, TimeUnit.SECONDS);
  }

  private static JsonObject body(String email, long... listingIds) {
    JsonArray ids = new JsonArray();
    for (long id : listingIds) {
      ids.add(id);
    }
    return new JsonObject().put("listingIds", ids).put("email", email)
        .put("shippingAddress", new JsonObject().put("name", "A Buyer").put("line1", "1 Main St")
            .put("city", "Memphis").put("postalCode", "38103").put("country", "US"));
  }
}
