package io.slabtrack.storefront.cards;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static io.slabtrack.storefront.StorefrontFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.storefront.StorefrontFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A batch envelope of core's card events (the relay's {@code storefront.cards.publish.batch}) applied in multi-row
 * statements, with the rules of one event alone: a stale version never overwrites a newer one, an event id applies
 * once, a refused event gets its own answer and the rest of the batch still applies, the shop's browse version moves.
 */
class CardEventsBatchTest {
  private static final AtomicLong IDS = new AtomicLong(5000);
  private static final String SHOP = "batch-shop";
  @RegisterExtension
  static final StorefrontFixture sf = StorefrontFixture.perClass();

  @BeforeAll
  static void start() throws Exception {
    sf.shop(SHOP, "erin");
  }

  private static JsonArray batch(JsonObject... events) throws Exception {
    JsonArray list = new JsonArray();
    for (JsonObject e : events) {
      list.add(e);
    }
    return sf.node.vertx().eventBus().<JsonObject>request(Inbox.batchAddress(Addresses.STOREFRONT_CARDS_PUBLISH),
        new JsonObject().put("events", list)).await(30, TimeUnit.SECONDS).body().getJsonArray("results");
  }

  private static String outcome(JsonArray results, int i) {
    return results.getJsonObject(i).getJsonObject("reply").getString("outcome");
  }

  private static Row card(long id) throws Exception {
    return sf.sql("SELECT * FROM storefront_cards WHERE slabtrack_card_id = $1", id).iterator().next();
  }

  private static long browseVersion() throws Exception {
    return sf.sql("SELECT version FROM browse_versions WHERE scope = $1", SHOP).iterator().next().getLong(0);
  }

  @Test
  void aBatchAppliesNewerVersionsAndDropsStaleOnesWithoutOverwriting() throws Exception {
    long a = IDS.incrementAndGet();
    long b = IDS.incrementAndGet();
    long c = IDS.incrementAndGet();
    long before = browseVersion();
    JsonArray first = batch(cardEvent("publish", SHOP, a, 3, 1000L, snapshot("A", "Prizm", 10)),
        cardEvent("publish", SHOP, b, 3, 2000L, snapshot("B", "Prizm", 9)),
        cardEvent("publish", SHOP, c, 3, 3000L, snapshot("C", "Prizm", 8)));
    assertThat(first).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(outcome(first, i)).isEqualTo("applied");
    }
    assertThat(browseVersion()).as("buyers' caches see the change").isGreaterThan(before);

    // b newer, a stale (older version), c the same version again (a replay with a new event id)
    JsonArray second = batch(cardEvent("update", SHOP, a, 2, 1L, snapshot("A old", "Prizm", 10)),
        cardEvent("update", SHOP, b, 5, 2500L, snapshot("B new", "Prizm", 9)),
        cardEvent("update", SHOP, c, 3, 1L, snapshot("C again", "Prizm", 8)));
    assertThat(outcome(second, 0)).isEqualTo("stale");
    assertThat(outcome(second, 1)).isEqualTo("applied");
    assertThat(outcome(second, 2)).isEqualTo("stale");
    assertThat(card(a).getLong("version")).isEqualTo(3L);
    assertThat(card(a).getLong("published_price")).isEqualTo(1000L);
    assertThat(card(a).getJsonObject("snapshot").getString("player")).isEqualTo("A");
    assertThat(card(c).getJsonObject("snapshot").getString("player")).isEqualTo("C");
    assertThat(card(b).getLong("version")).isEqualTo(5L);
    assertThat(card(b).getLong("published_price")).isEqualTo(2500L);
    assertThat(card(b).getJsonObject("snapshot").getString("player")).isEqualTo("B new");
    assertThat(sf.count("SELECT count(*) FROM storefront_card_events WHERE card_id = $1 AND outcome = 'stale'", a))
        .isEqualTo(1);
  }

  /** The multi-row statements themselves (the inbox would hide a failing one by applying event by event). */
  @Test
  void theMultiRowApplyKeepsTheVersionRuleAndItsOwnDedupe() throws Exception {
    long a = IDS.incrementAndGet();
    long b = IDS.incrementAndGet();
    List<JsonObject> first = List.of(cardEvent("publish", SHOP, a, 3, 1000L, snapshot("A", "Prizm", 10)),
        cardEvent("publish", SHOP, b, 3, 2000L, snapshot("B", "Prizm", 10)));
    assertThat(applyAll(first)).extracting(r -> r.getString("outcome")).containsExactly("applied", "applied");
    List<JsonObject> second = List.of(cardEvent("update", SHOP, a, 2, 1L, snapshot("A old", "Prizm", 10)),
        cardEvent("update", SHOP, b, 4, 2200L, snapshot("B new", "Prizm", 10)));
    assertThat(applyAll(second)).extracting(r -> r.getString("outcome")).containsExactly("stale", "applied");
    assertThat(card(a).getLong("version")).isEqualTo(3L);
    assertThat(card(a).getJsonObject("snapshot").getString("player")).isEqualTo("A");
    assertThat(card(b).getLong("version")).isEqualTo(4L);
    assertThat(card(b).getLong("published_price")).isEqualTo(2200L);
    // the same event ids again (as over HTTP): nothing applied twice
    sf.sql("UPDATE storefront_cards SET published_price = 1 WHERE slabtrack_card_id = $1", b);
    assertThat(applyAll(second)).extracting(r -> r.getString("outcome")).containsExactly("duplicate", "duplicate");
    assertThat(card(b).getLong("published_price")).isEqualTo(1L);
    assertThat(sf.count("SELECT count(*) FROM storefront_card_events WHERE card_id = ANY($1)",
        (Object) new Long[] {a, b})).isEqualTo(4);
  }

  private static List<JsonObject> applyAll(List<JsonObject> events) throws Exception {
    return sf.pool().withTransaction(tx -> CardEvents.applyAll(tx, events)).await(30, TimeUnit.SECONDS);
  }

  @Test
  void aRedeliveredBatchIsAnsweredAgainAndAppliedOnce() throws Exception {
    long a = IDS.incrementAndGet();
    long b = IDS.incrementAndGet();
    JsonObject pa = cardEvent("publish", SHOP, a, 2, 1000L, snapshot("A", "Prizm", 10));
    JsonObject pb = cardEvent("publish", SHOP, b, 2, 2000L, snapshot("B", "Prizm", 10));
    JsonArray first = batch(pa, pb);
    sf.sql("UPDATE storefront_cards SET status = 'sold' WHERE slabtrack_card_id = $1", a);
    // the same events again (a lost answer), and one seen before over HTTP alongside a new one
    JsonArray again = batch(pa, pb);
    for (int i = 0; i < 2; i++) {
      assertThat(outcome(again, i)).isEqualTo(outcome(first, i)).isEqualTo("applied");
      assertThat(again.getJsonObject(i).getString("eventId")).isEqualTo(first.getJsonObject(i).getString("eventId"));
    }
    assertThat(card(a).getString("status")).as("not applied again: the sale stands").isEqualTo("sold");
    JsonObject pc = cardEvent("publish", SHOP, IDS.incrementAndGet(), 2, 500L, snapshot("C", "Prizm", 10));
    sf.publish(pc);
    JsonArray mixed = batch(pc, cardEvent("update", SHOP, b, 3, 2100L, snapshot("B", "Prizm", 10)));
    assertThat(outcome(mixed, 0)).isEqualTo("duplicate");
    assertThat(outcome(mixed, 1)).isEqualTo("applied");
    assertThat(sf.count("SELECT count(*) FROM storefront_card_events WHERE event_id = $1",
        java.util.UUID.fromString(pa.getString("eventId")))).isEqualTo(1);
  }

  @Test
  void saleAndDisengageRulesHoldInABatch() throws Exception {
    long sold = IDS.incrementAndGet();
    long soldUpdated = IDS.incrementAndGet();
    long off = IDS.incrementAndGet();
    batch(cardEvent("publish", SHOP, sold, 1, 1000L, snapshot("S", "Prizm", 10)),
        cardEvent("publish", SHOP, soldUpdated, 1, 1000L, snapshot("U", "Prizm", 10)),
        cardEvent("publish", SHOP, off, 1, 1000L, snapshot("O", "Prizm", 10)));
    sf.sql("UPDATE storefront_cards SET status = 'sold' WHERE slabtrack_card_id = ANY($1)",
        (Object) new Long[] {sold, soldUpdated});
    JsonObject disengage = cardEvent("disengage", SHOP, off, 2, null, null).put("reason", "sold_elsewhere");
    batch(cardEvent("publish", SHOP, sold, 2, 1200L, snapshot("S", "Prizm", 10)),
        cardEvent("update", SHOP, soldUpdated, 2, 1200L, snapshot("U", "Prizm", 10)), disengage);
    assertThat(card(sold).getString("status")).as("core publishes it again").isEqualTo("active");
    assertThat(card(soldUpdated).getString("status")).as("an update leaves the sale").isEqualTo("sold");
    Row o = card(off);
    assertThat(o.getBoolean("listed")).isFalse();
    assertThat(o.getString("disengage_reason")).isEqualTo("sold_elsewhere");
    assertThat(o.getLong("published_price")).as("a disengage keeps the listing's price").isEqualTo(1000L);
    assertThat(o.getJsonObject("snapshot").getString("player")).isEqualTo("O");
    // a disengage of a card the shop never had keeps the version, so a late publish stays out
    long unknown = IDS.incrementAndGet();
    batch(cardEvent("disengage", SHOP, unknown, 4, null, null).put("reason", "operator"));
    JsonArray late = batch(cardEvent("publish", SHOP, unknown, 3, 100L, snapshot("L", "Prizm", 10)));
    assertThat(outcome(late, 0)).isEqualTo("stale");
    assertThat(card(unknown).getBoolean("listed")).isFalse();
  }

  @Test
  void aRefusedEventGetsItsOwnAnswerAndTheRestApply() throws Exception {
    long good = IDS.incrementAndGet();
    long orphan = IDS.incrementAndGet();
    JsonArray results = batch(cardEvent("publish", SHOP, good, 1, 100L, snapshot("G", "Prizm", 10)),
        cardEvent("publish", "no-such-shop", orphan, 1, 100L, snapshot("N", "Prizm", 10)),
        new JsonObject().put("eventId", java.util.UUID.randomUUID().toString()).put("type", "publish"));
    assertThat(outcome(results, 0)).isEqualTo("applied");
    assertThat(results.getJsonObject(1).getInteger("failureCode")).isEqualTo(404);
    assertThat(results.getJsonObject(2).getInteger("failureCode")).isEqualTo(400);
    assertThat(sf.count("SELECT count(*) FROM storefront_cards WHERE slabtrack_card_id = $1", orphan)).isZero();
    // the refused ones left no trace: a corrected retry would apply
    assertThat(sf.count("SELECT count(*) FROM storefront_card_events WHERE card_id = $1", orphan)).isZero();
  }
}
