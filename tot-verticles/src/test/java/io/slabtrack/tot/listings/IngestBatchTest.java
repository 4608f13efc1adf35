package io.slabtrack.tot.listings;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.cluster.outbox.Inbox;
import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A batch envelope of core's publishes (the relay's {@code tot.cards.publish.batch}) applied in multi-row statements
 * with the rules of one message alone: stale versions dropped without overwriting, each event id once, withdrawals,
 * lots with their cards, a refused event answered on its own while the rest apply.
 */
class IngestBatchTest {
  private static TotFixture tot;

  @BeforeAll
  static void start() throws Exception {
    tot = TotFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
  }

  private static JsonArray batch(JsonObject... events) throws Exception {
    return tot.node.vertx().eventBus().<JsonObject>request(Inbox.batchAddress(Addresses.TOT_CARDS_PUBLISH),
        new JsonObject().put("events", new JsonArray(List.of((Object[]) events)))).await(30, TimeUnit.SECONDS).body()
        .getJsonArray("results");
  }

  /** The multi-row statements themselves (the inbox would hide a failing one by applying event by event). */
  private static List<JsonObject> applyAll(JsonObject... events) throws Exception {
    Ingest ingest = new Ingest(new SpreadPolicy(new BigDecimal("0.25"), BigDecimal.ZERO, new BigDecimal("0.5")));
    return tot.pool().withTransaction(tx -> ingest.applyAll(tx, List.of(events))).await(30, TimeUnit.SECONDS);
  }

  private static Row listing(String key) throws Exception {
    return tot.sql("SELECT * FROM listings WHERE listing_key = $1", key).iterator().next();
  }

  private static long browseVersion() throws Exception {
    return tot.sql("SELECT version FROM browse_versions WHERE scope = 'listings'").iterator().next().getLong(0);
  }

  @Test
  void aBatchListsNewerVersionsAndDropsStaleOnesWithoutOverwriting() throws Exception {
    long before = browseVersion();
    List<JsonObject> first = applyAll(TotFixture.single("publish", 201, 3, 10_000),
        TotFixture.single("publish", 202, 3, 4_000), TotFixture.lot("publish", "b1", 3, 203, 1_000, 204, 2_000));
    assertThat(first).extracting(r -> r.getBoolean("applied")).containsExactly(true, true, true);
    assertThat(first.get(0).getString("status")).isEqualTo("ACTIVE");
    assertThat(first.get(0).getLong("listingId")).isEqualTo(listing("card:201").getLong("id"));
    assertThat(browseVersion()).as("buyers' caches see the change").isGreaterThan(before);
    Row lot = listing("lot:b1");
    assertThat(lot.getString("kind")).isEqualTo("lot");
    assertThat(lot.getLong("card_value")).isEqualTo(3_000L);
    assertThat(tot.count("SELECT count(*) FROM listing_cards WHERE listing_id = $1", lot.getLong("id"))).isEqualTo(2);
    assertThat(listing("card:201").getLong("win_price")).isEqualTo(7_500L);

    // 201 stale (older), 202 the same version again (a replay with a new event id), the lot newer with one card less
    // would be refused as a lot of one; it gets new prices instead
    List<JsonObject> second = applyAll(TotFixture.single("update", 201, 2, 1),
        TotFixture.single("update", 202, 3, 1), TotFixture.lot("update", "b1", 4, 203, 1_500, 204, 2_500));
    assertThat(second).extracting(r -> r.getBoolean("applied")).containsExactly(false, false, true);
    assertThat(second.get(0).getString("reason")).isEqualTo("stale_version");
    assertThat(listing("card:201").getLong("card_value")).isEqualTo(10_000L);
    assertThat(listing("card:201").getLong("version")).isEqualTo(3L);
    assertThat(listing("card:202").getLong("card_value")).isEqualTo(4_000L);
    assertThat(listing("lot:b1").getLong("card_value")).isEqualTo(4_000L);
    assertThat(listing("lot:b1").getLong("version")).isEqualTo(4L);
    assertThat(tot.count("SELECT count(*) FROM listing_cards WHERE listing_id = $1", lot.getLong("id")))
        .as("the lot's cards replaced, not added").isEqualTo(2);
    assertThat(tot.count("SELECT count(*) FROM listing_cards WHERE card_id = 201")).isEqualTo(1);
  }

  @Test
  void withdrawalsRelistsAndCompletedListingsFollowTheSingleRules() throws Exception {
    applyAll(TotFixture.single("publish", 211, 1, 1_000), TotFixture.single("publish", 212, 1, 1_000),
        TotFixture.single("publish", 213, 1, 1_000));
    tot.sql("UPDATE listings SET status = 'COMPLETED' WHERE listing_key = 'card:213'");
    List<JsonObject> off = applyAll(TotFixture.single("disengage", 211, 2, 0).put("reason", "sold_elsewhere"),
        TotFixture.single("disengage", 214, 2, 0), TotFixture.single("update", 213, 2, 1_200));
    assertThat(off.get(0).getBoolean("applied")).isTrue();
    assertThat(off.get(0).getString("status")).isEqualTo("WITHDRAWN");
    assertThat(off.get(1).getBoolean("applied")).as("nothing listed to withdraw").isFalse();
    assertThat(listing("card:213").getString("status")).as("a sale through ToT is final").isEqualTo("COMPLETED");
    // a late publish of the withdrawn-before-listed card stays out; a new publish relists 211
    List<JsonObject> again = applyAll(TotFixture.single("publish", 214, 1, 1_000),
        TotFixture.single("publish", 211, 3, 1_100), TotFixture.single("update", 212, 2, 900));
    assertThat(again).extracting(r -> r.getBoolean("applied")).containsExactly(false, true, true);
    assertThat(tot.count("SELECT count(*) FROM listings WHERE listing_key = 'card:214'")).isZero();
    assertThat(listing("card:211").getString("status")).isEqualTo("ACTIVE");
    assertThat(listing("card:212").getLong("card_value")).isEqualTo(900L);
  }

  @Test
  void aRedeliveredBatchIsAnsweredAgainAndAppliedOnceAndARefusedEventAloneFails() throws Exception {
    JsonObject a = TotFixture.single("publish", 221, 1, 1_000);
    JsonObject b = TotFixture.single("publish", 222, 1, 1_000);
    JsonObject bad = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("type", "publish");
    JsonArray first = batch(a, b, bad);
    assertThat(first.getJsonObject(0).getJsonObject("reply").getBoolean("applied")).isTrue();
    assertThat(first.getJsonObject(1).getJsonObject("reply").getBoolean("applied")).isTrue();
    assertThat(first.getJsonObject(2).getInteger("failureCode")).isEqualTo(400);
    JsonArray again = batch(a, b);
    for (int i = 0; i < 2; i++) {
      assertThat(again.getJsonObject(i).getString("eventId")).isEqualTo(first.getJsonObject(i).getString("eventId"));
      assertThat(again.getJsonObject(i).getJsonObject("reply").getBoolean("applied")).isTrue();
    }
    assertThat(tot.count("SELECT count(*) FROM listing_cards WHERE card_id = ANY($1)", (Object) new Long[] {221L, 222L}))
        .isEqualTo(2);
    assertThat(tot.count("SELECT count(*) FROM inbox WHERE event_id = $1", UUID.fromString(a.getString("eventId"))))
        .isEqualTo(1);
    // an envelope of fresh ids, all applied by the multi-row path: two listings and their cards
    JsonArray fresh = batch(TotFixture.single("publish", 223, 1, 700), TotFixture.single("publish", 224, 1, 800));
    assertThat(fresh.getJsonObject(1).getJsonObject("reply").getLong("listingId"))
        .isEqualTo(listing("card:224").getLong("id"));
  }
}
