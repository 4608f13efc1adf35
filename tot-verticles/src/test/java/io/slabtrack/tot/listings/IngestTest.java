package io.slabtrack.tot.listings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.tot.TotFixture;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ingest: idempotent by eventId, stale versions dropped, disengage withdraws, the webhook shares the inbox. */
class IngestTest {
  private static TotFixture tot;

  @BeforeAll
  static void start() throws Exception {
    tot = TotFixture.start();
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
  }

  private JsonObject listing(String key) throws Exception {
    long id = tot.sql("SELECT id FROM listings WHERE listing_key = $1", key).iterator().next().getLong(0);
    return tot.get("/api/listings/" + id).json();
  }

  @Test
  void aPublishedSingleBecomesAnActiveListingWithFlipPrices() throws Exception {
    JsonObject reply = tot.ingest(TotFixture.single("publish", 101, 2, 10_000));
    assertThat(reply.getBoolean("applied")).isTrue();
    JsonObject l = listing("card:101");
    assertThat(l.getString("status")).isEqualTo("ACTIVE");
    assertThat(l.getString("kind")).isEqualTo("single");
    JsonObject fc = l.getJsonObject("flipConfig");
    assertThat(fc.getLong("cardValue")).isEqualTo(10_000);
    assertThat(fc.getString("spread")).isEqualTo("0.25");
    assertThat(fc.getLong("winPrice")).isEqualTo(7_500);
    assertThat(fc.getLong("losePrice")).isEqualTo(12_500);
    assertThat(l.getBoolean("pullOnly")).isFalse();
    assertThat(l.getJsonArray("cards").getJsonObject(0).getLong("id")).isEqualTo(101L);
  }

  @Test
  void replayedEventsAndRedeliveriesNeverDoubleList() throws Exception {
    JsonObject publish = TotFixture.single("publish", 102, 1, 2_000);
    JsonObject first = tot.ingest(publish);
    assertThat(tot.ingest(publish)).isEqualTo(first); // same eventId: the stored first reply
    // same version, new eventId (core replaying a dead letter): dropped as stale
    JsonObject replay = tot.ingest(TotFixture.single("publish", 102, 1, 2_000));
    assertThat(replay.getBoolean("applied")).isFalse();
    assertThat(replay.getString("reason")).isEqualTo("stale_version");
    assertThat(tot.count("SELECT count(*) FROM listings WHERE listing_key = 'card:102'")).isEqualTo(1);
    assertThat(tot.count("SELECT count(*) FROM listing_cards WHERE card_id = 102")).isEqualTo(1);
  }

  @Test
  void aStaleUpdateIsDroppedAndANewerOneApplies() throws Exception {
    tot.ingest(TotFixture.single("publish", 103, 3, 5_000));
    tot.ingest(TotFixture.single("update", 103, 5, 6_000));
    JsonObject stale = tot.ingest(TotFixture.single("update", 103, 4, 1_000));
    assertThat(stale.getBoolean("applied")).isFalse();
    JsonObject l = listing("card:103");
    assertThat(l.getJsonObject("flipConfig").getLong("cardValue")).isEqualTo(6_000);
    assertThat(l.getLong("version")).isEqualTo(5L);
  }

  @Test
  void aDisengageWithdrawsAtOnceAndAStalePublishCannotRelist() throws Exception {
    tot.ingest(TotFixture.single("publish", 104, 1, 3_000));
    tot.ingest(TotFixture.single("disengage", 104, 2, 3_000).put("reason", "sold_elsewhere"));
    assertThat(listing("card:104").getString("status")).isEqualTo("WITHDRAWN");
    tot.ingest(TotFixture.single("publish", 104, 1, 3_000)); // an old publish replayed late
    assertThat(listing("card:104").getString("status")).isEqualTo("WITHDRAWN");
    tot.ingest(TotFixture.single("publish", 104, 3, 3_500)); // engaged again by the operator
    assertThat(listing("card:104").getString("status")).isEqualTo("ACTIVE");
    // a disengage that overtakes its publish leaves nothing behind for the publish to list
    tot.ingest(TotFixture.single("disengage", 105, 2, 3_000));
    tot.ingest(TotFixture.single("publish", 105, 1, 3_000));
    assertThat(tot.count("SELECT count(*) FROM listings WHERE listing_key = 'card:105'")).isZero();
  }

  @Test
  void lotsAreListedWholeWithTheirTotalAndEligibility() throws Exception {
    tot.ingest(TotFixture.lot("publish", "lot-a", 4, 201, 500, 202, 500, 203, 500));
    JsonObject l = listing("lot:lot-a");
    assertThat(l.getString("kind")).isEqualTo("lot");
    assertThat(l.getInteger("cardCount")).isEqualTo(3);
    assertThat(l.getJsonObject("flipConfig").getLong("cardValue")).isEqualTo(1_500);
    assertThat(l.getBoolean("pullEligible")).isTrue();
    long[] six = {211, 100, 212, 100, 213, 100, 214, 100, 215, 100, 216, 100};
    tot.ingest(TotFixture.lot("publish", "lot-b", 1, six));
    assertThat(listing("lot:lot-b").getBoolean("pullEligible")).as("lots of more than 5 cards can't be pulled")
        .isFalse();
    tot.ingest(TotFixture.lot("disengage", "lot-a", 5));
    assertThat(listing("lot:lot-a").getString("status")).isEqualTo("WITHDRAWN");
  }

  @Test
  void malformedMessagesAreRejectedForGood() {
    JsonObject noVersion = TotFixture.single("publish", 106, 1, 100);
    noVersion.remove("version");
    for (JsonObject bad : new JsonObject[] {TotFixture.single("relist", 106, 1, 100), noVersion,
        TotFixture.single("publish", 106, 1, -1), TotFixture.lot("publish", "lot-one", 1, 300, 100)}) {
      assertThatThrownBy(() -> tot.ingest(bad)).isInstanceOfSatisfying(ReplyException.class,
          e -> assertThat(e.failureCode()).isEqualTo(400));
    }
  }

  @Test
  void theWebhookNeedsAServiceTokenAndSharesTheInbox() throws Exception {
    JsonObject publish = TotFixture.single("publish", 107, 1, 4_000);
    assertThat(tot.call("POST", "/api/webhook/ingest", publish, null).status()).isEqualTo(401);
    assertThat(tot.call("POST", "/api/webhook/ingest", publish, tot.operator).status()).isEqualTo(401);
    TotFixture.Resp first = tot.call("POST", "/api/webhook/ingest", publish, tot.service);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().getBoolean("applied")).isTrue();
    assertThat(tot.ingest(publish)).isEqualTo(first.json()); // the bus retry of the same event: same answer
    TotFixture.Resp bad = tot.call("POST", "/api/webhook/ingest", TotFixture.single("relist", 107, 2, 1), tot.service);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error()).isEqualTo("invalid_field");
    assertThat(tot.count("SELECT count(*) FROM listings WHERE listing_key = 'card:107'")).isEqualTo(1);
  }
}
