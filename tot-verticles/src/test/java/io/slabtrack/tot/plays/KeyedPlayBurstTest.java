package io.slabtrack.tot.plays;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.tot.PaidPlays;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst of plays with an Idempotency-Key larger than the database pool (8 connections per app): no play may hold
 * a connection while it waits for another one or for Stripe, so every play answers promptly and a Stripe webhook
 * that arrives in the middle of the burst is applied at once, not after the pool's 30 s connection timeout.
 */
class KeyedPlayBurstTest {
  private static final int POOL_SIZE = 8;
  private static final int BURST = POOL_SIZE + 8;
  private static PaidPlays plays;

  @BeforeAll
  static void start() throws Exception {
    plays = new PaidPlays(40_000);
  }

  @AfterAll
  static void stop() throws Exception {
    plays.close();
  }

  @Test
  void poolSizePlusEightKeyedPlaysAllAnswerPromptlyAndAWebhookMeanwhileIsApplied() throws Exception {
    String earlier = plays.commit("flip", plays.single(5_000));
    List<Long> listings = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      listings.add(plays.single(3_000 + i));
    }
    // a slow Stripe widens the window in which each play is in flight
    plays.sim.control("/_sim/latency", new JsonObject().put("ms", 300).put("path", "/v1/payment_intents"));

    long started = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (long listing : listings) {
      burst.add(keyedFlip(listing, "burst-" + listing));
    }
    plays.authorize(earlier); // its webhook reaches ToT while the burst is in flight
    CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    plays.sim.control("/_sim/latency", new JsonObject().put("ms", 0));

    for (CompletableFuture<HttpResponse<String>> f : burst) {
      assertThat(f.get().statusCode()).as(f.get().body()).isEqualTo(201);
    }
    assertThat(took).as("the whole burst (the pool's connection timeout is 30 s)").isLessThan(Duration.ofSeconds(8));
    PaidPlays.await("the webhook of the earlier play applied",
        () -> !plays.playStatus(earlier).equals("COMMITTED"));
    assertThat(plays.tot.count("SELECT count(*) FROM plays WHERE idempotency_key LIKE 'burst-%'")).isEqualTo(BURST);

    // a retry after completion gets the first answer
    long first = listings.get(0);
    String firstPlay = new JsonObject(burst.get(0).get().body()).getString("playId");
    HttpResponse<String> again = keyedFlip(first, "burst-" + first).get(30, TimeUnit.SECONDS);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    assertThat(new JsonObject(again.body()).getString("playId")).isEqualTo(firstPlay);
  }

  private static CompletableFuture<HttpResponse<String>> keyedFlip(long listing, String key) {
    JsonObject body = new JsonObject().put("listingIds", new JsonArray().add(listing)).put("email", "burst@example.com")
        .put("shippingAddress", new JsonObject().put("name", "B").put("line1", "1 Main").put("city", "Memphis")
            .put("postalCode", "38103").put("country", "US"));
    HttpRequest request = HttpRequest.newBuilder(URI.create(plays.tot.node.url(AppName.TOT, "/api/play/flip")))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json").header("Idempotency-Key", key)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    return TotFixture.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }
}
