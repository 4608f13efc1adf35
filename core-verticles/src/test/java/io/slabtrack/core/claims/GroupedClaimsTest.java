package io.slabtrack.core.claims;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.bus.ChannelOwners;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.Receiver;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claims decided together in one transaction (a batch envelope, or single messages group-committed): each gets the
 * answer, the stored decision and the effects it would get alone, in arrival order.
 */
class GroupedClaimsTest {
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

  private static long listed(long price) throws Exception {
    return core.cardListedOn("Grouped", price, "thisorthat", "storefront");
  }

  private static JsonObject claim(String channel, List<Long> cardIds, long amount) {
    String claimId = "grp-" + UUID.randomUUID();
    return new JsonObject().put("eventId", UUID.randomUUID().toString()).put("claimId", claimId)
        .put("channel", channel).put("orderRef", "order-" + claimId).put("lockRef", "lock-" + claimId)
        .put("cardIds", new JsonArray(cardIds)).put("amountCents", amount)
        .put("authExpiresAt", Instant.now().plus(Duration.ofDays(6)).toString());
  }

  /** One envelope, as a relay sends a batch: decided in one transaction. */
  private static List<JsonObject> batch(AppName from, JsonObject... claims) throws Exception {
    JsonObject answer = core.node.vertx().eventBus().<JsonObject>request(Inbox.batchAddress(Addresses.CORE_SALE_CLAIM),
            new JsonObject().put("events", new JsonArray(List.of((Object[]) claims))),
            TestTokens.busFrom(TestNode.SECRET, from, AppName.CORE))
        .await(30, TimeUnit.SECONDS).body();
    List<JsonObject> results = new ArrayList<>();
    answer.getJsonArray("results").forEach(r -> results.add((JsonObject) r));
    assertThat(results).hasSize(claims.length);
    return results;
  }

  private static Future<JsonObject> send(JsonObject claim) {
    AppName sender = ChannelOwners.appOf(claim.getString("channel")).orElseThrow();
    return core.node.vertx().eventBus().<JsonObject>request(Addresses.CORE_SALE_CLAIM, claim,
        TestTokens.busFrom(TestNode.SECRET, sender, AppName.CORE)).map(m -> m.body());
  }

  private static JsonObject stored(String claimId) throws Exception {
    Row r = core.sql("SELECT reply FROM sale_claims WHERE claim_id = $1", claimId).iterator().next();
    return (JsonObject) r.getValue("reply");
  }

  private static long inboxRows(JsonObject claim) throws Exception {
    return core.count("SELECT count(*) FROM inbox WHERE event_id = $1::uuid", claim.getString("eventId"));
  }

  @Test
  void twoClaimsForOneCardInOneGroupHaveOneWinnerAndTheLoserSaysWhoWon() throws Exception {
    long card = listed(2000);
    JsonObject first = claim("storefront", List.of(card), 2000);
    JsonObject second = claim("storefront", List.of(card), 2000);
    List<JsonObject> results = batch(AppName.STOREFRONT, first, second);
    JsonObject won = results.get(0).getJsonObject("reply");
    JsonObject lost = results.get(1).getJsonObject("reply");
    assertThat(won.getString("outcome")).isEqualTo("won");
    assertThat(won.getString("winningChannel")).isEqualTo("storefront");
    assertThat(lost.getString("outcome")).isEqualTo("lost");
    assertThat(lost.getString("reason")).isEqualTo("sold");
    assertThat(lost.getString("winningChannel")).isEqualTo("storefront");
    // each decision stored as answered, each logged once
    assertThat(stored(first.getString("claimId"))).isEqualTo(won);
    assertThat(stored(second.getString("claimId"))).isEqualTo(lost);
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'claim_won' AND card_id = $1", card)).isEqualTo(1);
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'claim_lost' AND card_id = $1", card)).isEqualTo(1);
    JsonObject sold = core.get("/api/cards/" + card).json();
    assertThat(sold.getString("listingStatus")).isEqualTo("sold");
    assertThat(sold.getJsonObject("sold").getString("orderRef")).isEqualTo(first.getString("orderRef"));
    assertThat(sold.getJsonObject("sold").getLong("priceCents")).isEqualTo(2000);
    // the winner's fan-out: ToT hears the sale, and the message carries the winner's ids
    CoreFixture.await("ToT disengage", WAIT, () -> tot.about(card).stream()
        .anyMatch(m -> "disengage".equals(m.getString("type")) && "sold_elsewhere".equals(m.getString("reason"))));
    assertThat(core.count("SELECT count(*) FROM outbox WHERE address = $1 AND (payload->>'cardId')::bigint = $2"
        + " AND correlation->>'claimId' = $3", Addresses.TOT_CARDS_PUBLISH, card, first.getString("claimId")))
        .isEqualTo(1);
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'bulk_disengage' AND card_id = $1"
        + " AND channel = 'thisorthat'", card)).isEqualTo(1);
    assertThat(core.count("SELECT count(*) FROM outbox WHERE address = 'public.cards.storefront'"
        + " AND payload->>'listingKey' = $1 AND payload->>'type' = 'card.sold'", "card:" + card)).isEqualTo(1);
  }

  @Test
  void eachClaimOfAMixedGroupGetsItsOwnAnswer() throws Exception {
    long a = listed(1000);
    long b = listed(1000);
    long c = listed(1000);
    JsonObject good = claim("storefront", List.of(a), 1000);
    JsonObject malformed = claim("storefront", List.of(b), 1000);
    malformed.remove("claimId");
    JsonObject unknown = claim("storefront", List.of(b, 987654321L), 1000);
    JsonObject alsoGood = claim("storefront", List.of(b), 1000);
    JsonObject notTheirs = claim("thisorthat", List.of(c), 1000);
    List<JsonObject> results = batch(AppName.STOREFRONT, good, malformed, unknown, alsoGood, notTheirs);
    assertThat(results.get(0).getJsonObject("reply").getString("outcome")).isEqualTo("won");
    assertThat(results.get(1).getInteger("failureCode")).isEqualTo(400);
    assertThat(new JsonObject(results.get(1).getString("failure")).getString("error")).isEqualTo("invalid_field");
    assertThat(results.get(2).getJsonObject("reply").getString("outcome")).isEqualTo("lost");
    assertThat(results.get(2).getJsonObject("reply").getString("reason")).isEqualTo("unknown_card");
    assertThat(results.get(3).getJsonObject("reply").getString("outcome")).isEqualTo("won");
    assertThat(results.get(4).getInteger("failureCode")).isEqualTo(403);
    assertThat(new JsonObject(results.get(4).getString("failure")).getString("error")).isEqualTo("channel_not_owned");
    // a refused claim leaves nothing behind (no inbox row, no decision): as alone
    assertThat(inboxRows(malformed)).isZero();
    assertThat(inboxRows(notTheirs)).isZero();
    assertThat(inboxRows(unknown)).isEqualTo(1);
    assertThat(core.count("SELECT count(*) FROM sale_claims WHERE claim_id = $1", notTheirs.getString("claimId")))
        .isZero();
    assertThat(core.get("/api/cards/" + c).json().getString("listingStatus")).isEqualTo("listed");
    assertThat(stored(unknown.getString("claimId"))).isEqualTo(results.get(2).getJsonObject("reply"));
  }

  @Test
  void aRedeliveredEventOrARepeatedClaimIdInAGroupGetsTheFirstAnswer() throws Exception {
    long a = listed(1500);
    long b = listed(1500);
    JsonObject first = claim("thisorthat", List.of(a), 1500);
    JsonObject alone = send(first).await(30, TimeUnit.SECONDS);
    assertThat(alone.getString("outcome")).isEqualTo("won");
    JsonObject fresh = claim("thisorthat", List.of(b), 1500);
    JsonObject sameClaimNewEvent = first.copy().put("eventId", UUID.randomUUID().toString());
    List<JsonObject> results = batch(AppName.TOT, first, fresh, sameClaimNewEvent, fresh);
    assertThat(results.get(0).getJsonObject("reply")).isEqualTo(alone);
    assertThat(results.get(1).getJsonObject("reply").getString("outcome")).isEqualTo("won");
    assertThat(results.get(2).getJsonObject("reply")).isEqualTo(alone);
    assertThat(results.get(3).getJsonObject("reply")).isEqualTo(results.get(1).getJsonObject("reply"));
    // the same claimId twice in one group: the second gets the first's answer, not a decision of its own
    long c = listed(1500);
    JsonObject once = claim("thisorthat", List.of(c), 1500);
    JsonObject twice = once.copy().put("eventId", UUID.randomUUID().toString());
    List<JsonObject> repeated = batch(AppName.TOT, once, twice);
    assertThat(repeated.get(1).getJsonObject("reply")).isEqualTo(repeated.get(0).getJsonObject("reply"));
    assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'claim_won' AND card_id = $1", c)).isEqualTo(1);
    // another channel reusing a decided claimId is refused, in a group as alone
    JsonObject stolen = claim("storefront", List.of(a), 1500).put("claimId", first.getString("claimId"));
    JsonObject conflict = batch(AppName.STOREFRONT, stolen).get(0);
    assertThat(conflict.getInteger("failureCode")).isEqualTo(409);
    assertThat(new JsonObject(conflict.getString("failure")).getString("error")).isEqualTo("claim_conflict");
  }

  @Test
  void overlappingMultiCardClaimsInAGroupAreAllOrNothing() throws Exception {
    long a = listed(1000);
    long b = listed(1000);
    long c = listed(3000);
    long d = listed(1000);
    JsonObject ab = claim("storefront", List.of(a, b), 2000);
    JsonObject bc = claim("storefront", List.of(b, c), 4000);
    JsonObject cd = claim("storefront", List.of(c, d), 4000);
    List<JsonObject> results = batch(AppName.STOREFRONT, ab, bc, cd);
    assertThat(results.get(0).getJsonObject("reply").getString("outcome")).isEqualTo("won");
    JsonObject lost = results.get(1).getJsonObject("reply");
    assertThat(lost.getString("outcome")).isEqualTo("lost");
    assertThat(lost.getString("reason")).isEqualTo("sold");
    assertThat(lost.getString("winningChannel")).isEqualTo("storefront");
    // the loser took nothing, so c was still there for the third claim
    assertThat(results.get(2).getJsonObject("reply").getString("outcome")).isEqualTo("won");
    assertThat(core.get("/api/cards/" + b).json().getJsonObject("sold").getString("orderRef"))
        .isEqualTo(ab.getString("orderRef"));
    JsonObject soldC = core.get("/api/cards/" + c).json().getJsonObject("sold");
    assertThat(soldC.getString("orderRef")).isEqualTo(cd.getString("orderRef"));
    // 4000 split 3000:1000 between c and d
    assertThat(soldC.getLong("priceCents")).isEqualTo(3000);
    assertThat(core.get("/api/cards/" + d).json().getJsonObject("sold").getLong("priceCents")).isEqualTo(1000);
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE card_id = ANY($1) AND status = 'sold'",
        (Object) new Long[] {a, b, c, d})).isEqualTo(4);
  }

  @Test
  void singleClaimsFromBothChannelsArrivingTogetherHaveOneWinnerPerCard() throws Exception {
    List<Long> cards = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      cards.add(listed(1000));
    }
    List<JsonObject> claims = new ArrayList<>();
    for (long card : cards) {
      claims.add(claim(card % 2 == 0 ? "thisorthat" : "storefront", List.of(card), 1000));
      claims.add(claim(card % 2 == 0 ? "storefront" : "thisorthat", List.of(card), 1000));
    }
    // all sent at once: they queue behind each other's transactions and are decided in groups
    List<Future<JsonObject>> replies = new ArrayList<>();
    claims.forEach(cl -> replies.add(send(cl)));
    Future.all(replies).await(60, TimeUnit.SECONDS);
    for (int i = 0; i < cards.size(); i++) {
      JsonObject x = replies.get(2 * i).result();
      JsonObject y = replies.get(2 * i + 1).result();
      assertThat(List.of(x.getString("outcome"), y.getString("outcome"))).containsExactlyInAnyOrder("won", "lost");
      JsonObject winner = "won".equals(x.getString("outcome")) ? claims.get(2 * i) : claims.get(2 * i + 1);
      JsonObject loss = "won".equals(x.getString("outcome")) ? y : x;
      assertThat(loss.getString("reason")).isEqualTo("sold");
      assertThat(loss.getString("winningChannel")).isEqualTo(winner.getString("channel"));
      assertThat(stored(claims.get(2 * i).getString("claimId"))).isEqualTo(x);
      assertThat(stored(claims.get(2 * i + 1).getString("claimId"))).isEqualTo(y);
      assertThat(core.count("SELECT count(*) FROM cards WHERE id = $1 AND sold_claim_id = $2", cards.get(i),
          winner.getString("claimId"))).isEqualTo(1);
    }
  }
}
