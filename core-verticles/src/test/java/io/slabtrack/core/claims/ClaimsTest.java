package io.slabtrack.core.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.ChannelOwners;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.metrics.NodeMetrics;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.slabtrack.core.Receiver;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sale claims: the database decides, all or nothing, once per claimId; releases return the cards. */
class ClaimsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();
  private static Receiver tot;
  private static Receiver shop;

  @BeforeAll
  static void start() throws Exception {
    tot = Receiver.on(core.node.vertx(), Addresses.TOT_CARDS_PUBLISH);
    shop = Receiver.on(core.node.vertx(), Addresses.STOREFRONT_CARDS_PUBLISH);
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
    shop.close();
  }

  /** A card listed on ToT, the demo storefront and eBay. */
  private static long listedEverywhere(long price) throws Exception {
    return core.cardListedOn("Claimable", price, "thisorthat", "storefront", "ebay");
  }

  private static JsonObject claim(String channel, List<Long> cardIds, long amount) {
    String claimId = UUID.randomUUID().toString();
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("occurredAt", Instant.now().toString())
        .put("claimId", claimId).put("channel", channel).put("orderRef", "order-" + claimId)
        .put("lockRef", "lock-" + claimId).put("cardIds", new JsonArray(cardIds)).put("amountCents", amount)
        .put("authExpiresAt", Instant.now().plus(Duration.ofDays(6)).toString());
  }

  /** As the claiming channel's app sends it: signed with that app's service token. */
  private static Future<JsonObject> send(JsonObject claim) {
    AppName sender = ChannelOwners.appOf(claim.getString("channel")).orElse(AppName.TOT);
    return core.node.vertx().eventBus().<JsonObject>request(Addresses.CORE_SALE_CLAIM, claim,
        TestTokens.busFrom(TestNode.SECRET, sender, AppName.CORE)).map(m -> m.body());
  }

  private static io.vertx.core.eventbus.DeliveryOptions fromTot() {
    return TestTokens.busFrom(TestNode.SECRET, AppName.TOT, AppName.CORE);
  }

  private static JsonObject decide(JsonObject claim) throws Exception {
    return send(claim).await(30, TimeUnit.SECONDS);
  }

  private static Map<String, String> states(long id) throws Exception {
    Map<String, String> out = new TreeMap<>();
    core.get("/api/cards/" + id).json().getJsonArray("channels")
        .forEach(o -> out.put(((JsonObject) o).getString("channel"), ((JsonObject) o).getString("status")));
    return out;
  }

  @Test
  void aWonClaimSellsTheCardsAndDisengagesEveryOtherChannel() throws Exception {
    long a = listedEverywhere(3000);
    long b = listedEverywhere(1000);
    JsonObject reply = decide(claim("storefront", List.of(a, b), 3600));
    assertThat(reply.getString("outcome")).isEqualTo("won");
    assertThat(reply.getString("winningChannel")).isEqualTo("storefront");
    assertThat(reply.getString("decidedAt")).isNotBlank();

    JsonObject card = core.get("/api/cards/" + a).json();
    assertThat(card.getString("listingStatus")).isEqualTo("sold");
    assertThat(card.getJsonObject("sold").getString("channel")).isEqualTo("storefront");
    assertThat(card.getJsonObject("sold").getString("orderRef")).startsWith("order-");
    // the order amount split by price: 3000:1000 of 3600
    assertThat(card.getJsonObject("sold").getLong("priceCents")).isEqualTo(2700);
    assertThat(core.get("/api/cards/" + b).json().getJsonObject("sold").getLong("priceCents")).isEqualTo(900);
    assertThat(states(a)).containsEntry("storefront", "sold").containsEntry("thisorthat", "inactive")
        .containsEntry("ebay", "inactive").containsEntry("personal", "inactive");

    // the disengage reaches ToT (the other channel with an adapter), durably
    CoreFixture.await("ToT disengage", WAIT, () -> tot.about(a).stream()
        .anyMatch(m -> "disengage".equals(m.getString("type")) && "sold_elsewhere".equals(m.getString("reason"))));
    assertThat(shop.about(a)).noneMatch(m -> "disengage".equals(m.getString("type")));
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'claim_won' AND card_id = $1", a)).isEqualTo(1);
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'bulk_disengage' AND card_id = $1", a))
        .isEqualTo(2);
  }

  private static double claims(String outcome, String reason, String channel) {
    var counter = NodeMetrics.registry(core.node.vertx()).find("slabtrack.claims")
        .tags("app", "core", "outcome", outcome, "reason", reason, "channel", channel).counter();
    return counter == null ? 0 : counter.count();
  }

  private static long decisionsTimed(String outcome) {
    var timer = NodeMetrics.registry(core.node.vertx()).find("slabtrack.claim.decision").tag("outcome", outcome)
        .timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void eachFreshDecisionIsCountedOnceWithItsLatency() throws Exception {
    double won = claims("won", "", "thisorthat");
    double lost = claims("lost", "sold", "storefront");
    long timedWon = decisionsTimed("won");
    long id = listedEverywhere(1500);
    JsonObject first = claim("thisorthat", List.of(id), 1500);
    assertThat(decide(first).getString("outcome")).isEqualTo("won");
    // a redelivery with a new eventId is answered from the stored decision: not a second decision
    decide(first.copy().put("eventId", UUID.randomUUID().toString()));
    assertThat(decide(claim("storefront", List.of(id), 1500)).getString("outcome")).isEqualTo("lost");

    assertThat(claims("won", "", "thisorthat") - won).isEqualTo(1);
    assertThat(claims("lost", "sold", "storefront") - lost).isEqualTo(1);
    assertThat(decisionsTimed("won") - timedWon).isEqualTo(1);
  }

  @Test
  void aRepeatedClaimGetsTheSameAnswerAndALaterRivalLoses() throws Exception {
    long id = listedEverywhere(2000);
    JsonObject first = claim("thisorthat", List.of(id), 2000);
    JsonObject won = decide(first);
    assertThat(won.getString("outcome")).isEqualTo("won");
    // same claimId, new delivery (new eventId): the stored decision, not a new one
    JsonObject again = decide(first.copy().put("eventId", UUID.randomUUID().toString()));
    assertThat(again).isEqualTo(won);
    // over HTTP too, with a service token
    Resp http = core.call("POST", "/api/webhooks/ecosystem-transfer/claim", first,
        TestTokens.service(TestNode.SECRET, AppName.TOT, AppName.CORE));
    assertThat(http.status()).isEqualTo(200);
    assertThat(http.json()).isEqualTo(won);

    JsonObject rival = decide(claim("storefront", List.of(id), 2000));
    assertThat(rival.getString("outcome")).isEqualTo("lost");
    assertThat(rival.getString("reason")).isEqualTo("sold");
    assertThat(rival.getString("winningChannel")).isEqualTo("thisorthat");
  }

  @Test
  void concurrentOverlappingClaimsFromTwoChannelsHaveExactlyOneWinner() throws Exception {
    for (int round = 0; round < 8; round++) {
      long a = listedEverywhere(1000);
      long b = listedEverywhere(1000);
      long c = listedEverywhere(1000);
      JsonObject fromTot = claim("thisorthat", List.of(a, b), 2000);
      JsonObject fromShop = claim("storefront", List.of(b, c), 2000);
      List<Future<JsonObject>> both = List.of(send(fromTot), send(fromShop));
      Future.all(both).await(30, TimeUnit.SECONDS);
      List<String> outcomes = both.stream().map(f -> f.result().getString("outcome")).toList();
      assertThat(outcomes).containsExactlyInAnyOrder("won", "lost");
      boolean totWon = outcomes.get(0).equals("won");
      JsonObject loser = both.get(totWon ? 1 : 0).result();
      assertThat(loser.getString("reason")).isEqualTo("sold");
      assertThat(loser.getString("winningChannel")).isEqualTo(totWon ? "thisorthat" : "storefront");
      // the loser changed nothing: its card outside the overlap is still listed everywhere
      long loserOnly = totWon ? c : a;
      assertThat(core.get("/api/cards/" + loserOnly).json().getString("listingStatus")).isEqualTo("listed");
      assertThat(states(loserOnly)).containsEntry("thisorthat", "active").containsEntry("storefront", "active")
          .containsEntry("ebay", "active");
      assertThat(core.count("SELECT count(*) FROM card_channels WHERE card_id = $1 AND status = 'sold'", b)).isEqualTo(1);
    }
  }

  @Test
  void lostForEachRuleAndTheLoserChangesNothing() throws Exception {
    long notOnShop = core.createCard(CoreFixture.card("Only ToT", 1500)).getLong("id");
    core.post("/api/cards/" + notOnShop + "/channels/thisorthat", null);
    long version = core.get("/api/cards/" + notOnShop).json().getLong("version");
    assertThat(decide(claim("storefront", List.of(notOnShop), 1500)).getString("reason")).isEqualTo("not_active_on_channel");
    // disengaged since: no longer active on the claiming channel
    long wasOnShop = listedEverywhere(1200);
    core.call("DELETE", "/api/cards/" + wasOnShop + "/channels/storefront", null);
    assertThat(decide(claim("storefront", List.of(wasOnShop), 1200)).getString("reason"))
        .isEqualTo("not_active_on_channel");

    assertThat(decide(claim("thisorthat", List.of(notOnShop, 987654L), 1500)).getString("reason"))
        .isEqualTo("unknown_card");
    JsonObject expired = claim("thisorthat", List.of(notOnShop), 1500)
        .put("authExpiresAt", Instant.now().minusSeconds(1).toString());
    assertThat(decide(expired).getString("reason")).isEqualTo("auth_expired");
    assertThat(core.get("/api/cards/" + notOnShop).json().getLong("version")).isEqualTo(version);
    assertThat(core.get("/api/cards/" + notOnShop).json().getString("listingStatus")).isEqualTo("listed");
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'claim_lost' AND card_id = $1", notOnShop))
        .isEqualTo(3);
  }

  @Test
  void aCardHeldByAnotherLiveLockRefIsNotSold() throws Exception {
    long id = listedEverywhere(5000);
    core.lock(id, "thisorthat", "their-lock-ref-0001", Duration.ofMinutes(10));
    JsonObject lost = decide(claim("storefront", List.of(id), 5000));
    assertThat(lost.getString("outcome")).isEqualTo("lost");
    assertThat(lost.getString("reason")).isEqualTo("locked_by_other");
    assertThat(lost.getString("lockedByChannel")).isEqualTo("thisorthat");
    assertThat(core.get("/api/cards/" + id).json().getString("listingStatus")).isEqualTo("listed");
    // the holder's own claim passes its lock
    JsonObject holder = decide(claim("thisorthat", List.of(id), 5000).put("lockRef", "their-lock-ref-0001"));
    assertThat(holder.getString("outcome")).isEqualTo("won");
    core.unlock("their-lock-ref-0001");
  }

  @Test
  void anExpiredLockCountsAsAbsent() throws Exception {
    long id = listedEverywhere(5000);
    String expiresAt = core.lock(id, "thisorthat", "short-lived-lock-01", Duration.ofSeconds(1));
    // the map keeps an expired lock for the sweeper's grace period; core must not let it block a sale
    CoreFixture.await("lock expiry", WAIT, () -> Instant.now().isAfter(Instant.parse(expiresAt).plusMillis(50)));
    assertThat(decide(claim("storefront", List.of(id), 5000)).getString("outcome")).isEqualTo("won");
  }

  @Test
  void aLockedCardCantBeDeletedOrCommitted() throws Exception {
    long id = core.createCard(CoreFixture.card("Locked", 800)).getLong("id");
    String expiresAt = core.lock(id, "storefront", "cart-9-checkout-lock", Duration.ofMinutes(10));
    Resp delete = core.call("DELETE", "/api/cards/" + id, null);
    assertThat(delete.status()).isEqualTo(409);
    assertThat(delete.error()).isEqualTo("card_locked");
    Resp commit = core.post("/api/channels/commit", new JsonArray().add(new JsonObject().put("cardId", id)
        .put("channel", "thisorthat")));
    assertThat(commit.status()).isEqualTo(409);
    JsonObject conflict = commit.json().getJsonObject("details").getJsonArray("conflicts").getJsonObject(0);
    assertThat(conflict.getString("reason")).isEqualTo("locked");
    assertThat(conflict.getString("expiresAt")).isEqualTo(expiresAt);
    core.unlock("cart-9-checkout-lock");
    assertThat(core.call("DELETE", "/api/cards/" + id, null).status()).isEqualTo(204);
  }

  @Test
  void aReleaseReturnsTheCardsToInventoryWithoutRelisting() throws Exception {
    long id = listedEverywhere(2500);
    JsonObject won = decide(claim("thisorthat", List.of(id), 2500));
    assertThat(won.getString("outcome")).isEqualTo("won");
    JsonObject release = new JsonObject().put("eventId", UUID.randomUUID().toString())
        .put("claimId", won.getString("claimId")).put("channel", "thisorthat").put("orderRef", "x")
        .put("cardIds", new JsonArray().add(id)).put("reason", "capture_failed");
    JsonObject reply = core.node.vertx().eventBus().<JsonObject>request(Addresses.CORE_SALE_RELEASE, release, fromTot())
        .await(30, TimeUnit.SECONDS).body();
    assertThat(reply.getBoolean("released")).isTrue();
    JsonObject card = core.get("/api/cards/" + id).json();
    assertThat(card.getString("listingStatus")).isEqualTo("personal");
    assertThat(card.getValue("sold")).isNull();
    assertThat(states(id)).containsEntry("personal", "active").containsEntry("thisorthat", "inactive")
        .containsEntry("storefront", "inactive").containsEntry("ebay", "inactive");
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'claim_released' AND card_id = $1", id))
        .isEqualTo(1);
    // releasing twice answers the same; a lost or unknown claim can't be released (permanent 4xx)
    JsonObject twice = core.node.vertx().eventBus().<JsonObject>request(Addresses.CORE_SALE_RELEASE,
        release.copy().put("eventId", UUID.randomUUID().toString()), fromTot()).await(30, TimeUnit.SECONDS).body();
    assertThat(twice.getBoolean("released")).isTrue();
    assertThatThrownBy(() -> core.node.vertx().eventBus().request(Addresses.CORE_SALE_RELEASE,
            release.copy().put("eventId", UUID.randomUUID().toString()).put("claimId", "nope"), fromTot())
        .await(30, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(404));
  }

  @Test
  void malformedClaimsAreRejectedForGood() throws Exception {
    List<JsonObject> bad = new ArrayList<>();
    bad.add(claim("thisorthat", List.of(1L), 100).put("channel", "personal"));
    bad.add(claim("thisorthat", List.of(1L), -1));
    bad.add(claim("thisorthat", List.of(1L), 100).put("cardIds", new JsonArray()));
    bad.add(claim("thisorthat", List.of(1L), 100).put("authExpiresAt", "tomorrow"));
    for (JsonObject b : bad) {
      assertThatThrownBy(() -> decide(b)).isInstanceOfSatisfying(ReplyException.class,
          e -> assertThat(e.failureCode()).isEqualTo(400));
    }
    Resp http = core.call("POST", "/api/webhooks/ecosystem-transfer/claim", bad.get(1),
        TestTokens.service(TestNode.SECRET, AppName.TOT, AppName.CORE));
    assertThat(http.status()).isEqualTo(400);
    assertThat(http.field()).isEqualTo("amountCents");
    assertThat(core.call("POST", "/api/webhooks/ecosystem-transfer/claim", bad.get(0)).status()).isEqualTo(401);
  }
}
