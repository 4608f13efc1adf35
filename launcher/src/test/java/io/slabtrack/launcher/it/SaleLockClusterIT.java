package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sale-locks on the real three-JVM cluster: requests go to two different JVMs (the ToT and the Storefront node)
 * at once, so the map, not a local structure, has to decide.
 */
class SaleLockClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(SaleLockClusterIT.class);
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static String ref() {
    return "it-" + UUID.randomUUID().toString().replace("-", "");
  }

  private static long freshCard() {
    return 100_000_000L + (long) (Math.random() * 800_000_000L);
  }

  private static CompletableFuture<HttpResponse<String>> post(NodeProcess node, String path, String token,
                                                             JsonObject body) {
    return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(node.url(path)))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject acquireBody(List<Long> cards, String channel, String lockRef, int ttl) {
    return new JsonObject().put("cardIds", new JsonArray(new ArrayList<>(cards))).put("channel", channel)
        .put("lockRef", lockRef).put("ttlSeconds", ttl);
  }

  @Test
  void aStampedeFromTwoJvmsGrantsExactlyOneLock() throws Exception {
    ClusterFixture cluster = ClusterFixture.shared();
    NodeProcess tot = cluster.node(AppName.TOT);
    NodeProcess storefront = cluster.node(AppName.STOREFRONT);
    String totToken = TestTokens.service(cluster.jwtSecret(), AppName.STOREFRONT, AppName.TOT);
    String sfToken = TestTokens.service(cluster.jwtSecret(), AppName.TOT, AppName.STOREFRONT);
    long card = freshCard();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      boolean viaTot = i % 2 == 0;
      calls.add(post(viaTot ? tot : storefront, "/api/sale-locks/acquire", viaTot ? totToken : sfToken,
          acquireBody(List.of(card), viaTot ? "thisorthat" : "storefront", ref(), 600)));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    int won = 0;
    String winnerChannel = null;
    for (var call : calls) {
      HttpResponse<String> r = call.join();
      if (r.statusCode() == 200) {
        won++;
        winnerChannel = new JsonObject(r.body()).getJsonArray("locks").getJsonObject(0).getString("channel");
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        JsonObject conflict = new JsonObject(r.body()).getJsonObject("details").getJsonArray("conflicts")
            .getJsonObject(0);
        assertThat(conflict.getLong("cardId")).isEqualTo(card);
        assertThat(conflict.getString("channel")).isIn("thisorthat", "storefront");
        assertThat(conflict.getString("expiresAt")).isNotBlank();
      }
    }
    assertThat(won).isEqualTo(1);
    // every loser named the one winner
    for (var call : calls) {
      HttpResponse<String> r = call.join();
      if (r.statusCode() == 409) {
        assertThat(r.body()).contains("\"channel\":\"" + winnerChannel + "\"");
      }
    }
  }

  @Test
  void overlappingBatchesFromTwoJvmsNeverBothWinAndNeverLeavePartialLocks() throws Exception {
    ClusterFixture cluster = ClusterFixture.shared();
    NodeProcess tot = cluster.node(AppName.TOT);
    NodeProcess storefront = cluster.node(AppName.STOREFRONT);
    String totToken = TestTokens.service(cluster.jwtSecret(), AppName.STOREFRONT, AppName.TOT);
    String sfToken = TestTokens.service(cluster.jwtSecret(), AppName.TOT, AppName.STOREFRONT);
    String operator = TestTokens.operator(cluster.jwtSecret());
    int bothFailed = 0;
    for (int round = 0; round < 60; round++) {
      long base = freshCard();
      List<Long> left = List.of(base + 1, base + 2, base + 3);
      List<Long> right = List.of(base + 3, base + 4, base + 5);
      String leftRef = ref();
      String rightRef = ref();
      var a = post(tot, "/api/sale-locks/acquire", totToken, acquireBody(left, "thisorthat", leftRef, 600));
      var b = post(storefront, "/api/sale-locks/acquire", sfToken, acquireBody(right, "storefront", rightRef, 600));
      int sa = a.join().statusCode();
      int sb = b.join().statusCode();
      assertThat(sa == 200 && sb == 200).as("round " + round + ": both batches won card 3").isFalse();
      if (sa != 200 && sb != 200) {
        bothFailed++;
      }
      for (long card = base + 1; card <= base + 5; card++) {
        JsonObject view = new JsonObject(cluster.node(AppName.CORE).get("/api/sale-locks/" + card, operator).body());
        JsonObject lock = view.getJsonObject("lock");
        boolean inLeft = left.contains(card);
        boolean inRight = right.contains(card);
        if (lock != null) {
          String holder = lock.getString("lockRef");
          // a lock may only exist for the batch that won, never a leftover of the loser
          assertThat(holder.equals(leftRef) ? sa : sb).as("card " + card + " held by a losing batch").isEqualTo(200);
          assertThat(holder.equals(leftRef) ? inLeft : inRight).isTrue();
        } else {
          assertThat((inLeft && sa == 200) || (inRight && sb == 200)).as("card " + card + " missing a lock").isFalse();
        }
      }
      post(tot, "/api/sale-locks/release", totToken, new JsonObject().put("lockRef", leftRef)).join();
      post(storefront, "/api/sale-locks/release", sfToken, new JsonObject().put("lockRef", rightRef)).join();
    }
    LOG.info("overlapping batches: {} of 60 rounds refused both (ordered acquisition makes this rare)", bothFailed);
  }

  @Test
  void anExpiredLockDisappearsAndTheCardCanBeLockedAgain() throws Exception {
    ClusterFixture cluster = ClusterFixture.shared();
    NodeProcess tot = cluster.node(AppName.TOT);
    String totToken = TestTokens.service(cluster.jwtSecret(), AppName.STOREFRONT, AppName.TOT);
    long card = freshCard();
    assertThat(post(tot, "/api/sale-locks/acquire", totToken, acquireBody(List.of(card), "ebay", ref(), 2)).join()
        .statusCode()).isEqualTo(200);
    assertThat(post(tot, "/api/sale-locks/acquire", totToken, acquireBody(List.of(card), "thisorthat", ref(), 60))
        .join().statusCode()).isEqualTo(409);
    long deadline = System.currentTimeMillis() + 30_000;
    boolean gone = false;
    while (System.currentTimeMillis() < deadline && !gone) {
      JsonObject view = new JsonObject(cluster.node(AppName.STOREFRONT).get("/api/sale-locks/" + card,
          TestTokens.operator(cluster.jwtSecret(), AppName.STOREFRONT))
          .body());
      gone = !view.getBoolean("live");
      Thread.sleep(200);
    }
    assertThat(gone).isTrue();
    assertThat(post(tot, "/api/sale-locks/acquire", totToken, acquireBody(List.of(card), "thisorthat", ref(), 60))
        .join().statusCode()).isEqualTo(200);
  }

  @Test
  void withCoreDownTheSatellitesStillLock() throws Exception {
    ClusterFixture cluster = ClusterFixture.shared();
    cluster.node(AppName.CORE).kill9();
    try {
      cluster.node(AppName.TOT).awaitMembers(2, Duration.ofSeconds(30));
      String totToken = TestTokens.service(cluster.jwtSecret(), AppName.STOREFRONT, AppName.TOT);
      String sfToken = TestTokens.service(cluster.jwtSecret(), AppName.TOT, AppName.STOREFRONT);
      long card = freshCard();
      assertThat(post(cluster.node(AppName.TOT), "/api/sale-locks/acquire", totToken,
          acquireBody(List.of(card), "thisorthat", ref(), 600)).join().statusCode()).isEqualTo(200);
      assertThat(post(cluster.node(AppName.STOREFRONT), "/api/sale-locks/acquire", sfToken,
          acquireBody(List.of(card), "storefront", ref(), 600)).join().statusCode()).isEqualTo(409);
    } finally {
      cluster.restart(AppName.CORE);
    }
  }

  @Test
  void killingTheMemberThatOwnsTheLocksPartitionLosesNoLock() throws Exception {
    ClusterFixture cluster = ClusterFixture.shared();
    String operator = TestTokens.operator(cluster.jwtSecret());
    NodeProcess core = cluster.node(AppName.CORE);
    String storefrontMember = "127.0.0.1:" + cluster.hazelcastPort(AppName.STOREFRONT);
    // find a card whose partition the Storefront JVM owns
    long card = -1;
    for (int i = 0; i < 500 && card < 0; i++) {
      long candidate = freshCard();
      JsonObject view = new JsonObject(core.get("/api/sale-locks/" + candidate, operator).body());
      if (storefrontMember.equals(view.getString("partitionOwner"))) {
        card = candidate;
      }
    }
    assertThat(card).as("a card owned by the storefront member").isPositive();
    String coreToken = TestTokens.service(cluster.jwtSecret(), AppName.TOT, AppName.CORE);
    String holder = ref();
    assertThat(post(core, "/api/sale-locks/acquire", coreToken, acquireBody(List.of(card), "storefront", holder,
        600)).join().statusCode()).isEqualTo(200);

    cluster.node(AppName.STOREFRONT).kill9();
    cluster.node(AppName.CORE).awaitMembers(2, Duration.ofSeconds(30));
    cluster.node(AppName.TOT).awaitMembers(2, Duration.ofSeconds(30));
    try {
      JsonObject view = new JsonObject(cluster.node(AppName.TOT).get("/api/sale-locks/" + card,
          TestTokens.operator(cluster.jwtSecret(), AppName.TOT)).body());
      assertThat(view.getJsonObject("lock").getString("lockRef")).isEqualTo(holder);
      assertThat(view.getBoolean("live")).isTrue();
      String totToken = TestTokens.service(cluster.jwtSecret(), AppName.STOREFRONT, AppName.TOT);
      HttpResponse<String> second = post(cluster.node(AppName.TOT), "/api/sale-locks/acquire", totToken,
          acquireBody(List.of(card), "thisorthat", ref(), 600)).join();
      assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
    } finally {
      cluster.restart(AppName.STOREFRONT);
    }
  }
}
