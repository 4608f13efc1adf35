package io.slabtrack.storefront.cards;

import static io.slabtrack.storefront.StorefrontFixture.cardEvent;
import static io.slabtrack.storefront.StorefrontFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.storefront.StorefrontFixture;
import io.slabtrack.storefront.StorefrontFixture.Resp;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Core's publish / update / disengage applied once per eventId and in version order; the buyer's and owner's views. */
class StorefrontCardsTest {
  private static final AtomicLong IDS = new AtomicLong(1000);
  @RegisterExtension
  static final StorefrontFixture sf = StorefrontFixture.perClass();

  @BeforeAll
  static void start() throws Exception {
    sf.shop("cards-shop", "erin");
  }

  private static JsonObject bus(JsonObject event) throws Exception {
    return sf.node.vertx().eventBus().<JsonObject>request(Addresses.STOREFRONT_CARDS_PUBLISH, event)
        .await(30, TimeUnit.SECONDS).body();
  }

  @Test
  void publishThenReplayFiveTimesThreeAtOnceAppliesOnce() throws Exception {
    sf.shop("replay-shop", "erin");
    long id = IDS.incrementAndGet();
    JsonObject publish = cardEvent("publish", "replay-shop", id, 2, 9250L, snapshot("Ja Morant", "Prizm", 10));
    assertThat(sf.publish(publish).getString("outcome")).isEqualTo("applied");
    assertThat(sf.publish(publish).getString("outcome")).isEqualTo("duplicate");
    assertThat(bus(publish).getString("outcome")).as("the bus and HTTP share the dedupe").isEqualTo("duplicate");
    List<CompletableFuture<Resp>> concurrent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      concurrent.add(CompletableFuture.supplyAsync(() -> {
        try {
          return sf.call("POST", "/api/storefronts/replay-shop/cards", publish, sf.service);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }));
    }
    for (CompletableFuture<Resp> f : concurrent) {
      Resp r = f.get(30, TimeUnit.SECONDS);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().getString("outcome")).isEqualTo("duplicate");
    }
    assertThat(sf.count("SELECT count(*) FROM storefront_cards WHERE slabtrack_card_id = $1", id)).isEqualTo(1);
    assertThat(sf.count("SELECT count(*) FROM storefront_card_events WHERE card_id = $1", id)).isEqualTo(1);
    JsonArray items = sf.get("/api/storefronts/replay-shop/cards").items();
    assertThat(items).hasSize(1);
    assertThat(items.getJsonObject(0).getLong("price")).isEqualTo(9250L);
    assertThat(items.getJsonObject(0).getJsonObject("card").getString("player")).isEqualTo("Ja Morant");
  }

  @Test
  void staleVersionsAreDroppedAndDisengageTakesTheCardDown() throws Exception {
    sf.shop("version-shop", "erin");
    long id = IDS.incrementAndGet();
    String path = "/api/storefronts/version-shop/cards/" + id;
    assertThat(bus(cardEvent("publish", "version-shop", id, 3, 1000L, snapshot("Luka", "Optic", 9)))
        .getString("outcome")).isEqualTo("applied");
    assertThat(bus(cardEvent("update", "version-shop", id, 5, 1500L, snapshot("Luka", "Optic", 9)))
        .getString("outcome")).isEqualTo("applied");
    // a late, older update (and a redelivered equal version) changes nothing
    assertThat(bus(cardEvent("update", "version-shop", id, 4, 999L, snapshot("Luka", "Optic", 9)))
        .getString("outcome")).isEqualTo("stale");
    assertThat(bus(cardEvent("update", "version-shop", id, 5, 998L, snapshot("Luka", "Optic", 9)))
        .getString("outcome")).isEqualTo("stale");
    assertThat(sf.get(path).json().getLong("price")).isEqualTo(1500L);

    assertThat(bus(cardEvent("disengage", "version-shop", id, 6, 1500L, null).put("reason", "sold_elsewhere"))
        .getString("outcome")).isEqualTo("applied");
    assertThat(sf.get(path).status()).isEqualTo(404);
    assertThat(sf.get("/api/storefronts/version-shop/cards").items()).isEmpty();
    // an old publish replayed from a dead letter must not bring it back
    assertThat(bus(cardEvent("publish", "version-shop", id, 3, 1000L, snapshot("Luka", "Optic", 9)))
        .getString("outcome")).isEqualTo("stale");
    assertThat(sf.get(path).status()).isEqualTo(404);
    // relisted by the operator: a newer publish
    bus(cardEvent("publish", "version-shop", id, 7, 2000L, snapshot("Luka", "Optic", 9)));
    assertThat(sf.get(path).json().getLong("price")).isEqualTo(2000L);
  }

  @Test
  void disengageBeforePublishStillBlocksTheOlderPublish() throws Exception {
    sf.shop("order-shop", "erin");
    long id = IDS.incrementAndGet();
    assertThat(bus(cardEvent("disengage", "order-shop", id, 4, null, null)).getString("outcome")).isEqualTo("applied");
    assertThat(bus(cardEvent("publish", "order-shop", id, 3, 500L, snapshot("A", "B", 9))).getString("outcome"))
        .isEqualTo("stale");
    assertThat(sf.get("/api/storefronts/order-shop/cards").items()).isEmpty();
  }

  @Test
  void unknownShopAndMalformedMessagesAreRejectedForGood() throws Exception {
    long id = IDS.incrementAndGet();
    JsonObject unknown = cardEvent("publish", "no-such-shop", id, 1, 100L, snapshot("A", "B", 9));
    assertThatThrownBy(() -> bus(unknown)).isInstanceOfSatisfying(ReplyException.class,
        e -> assertThat(e.failureCode()).isEqualTo(404));
    Resp http = sf.call("POST", "/api/storefronts/no-such-shop/cards", unknown.put("eventId",
        java.util.UUID.randomUUID().toString()), sf.service);
    assertThat(http.status()).isEqualTo(404);
    assertThat(http.error()).isEqualTo("unknown_shop");

    for (JsonObject bad : new JsonObject[] {
        cardEvent("publish", "cards-shop", id, 1, 100L, null),
        cardEvent("relist", "cards-shop", id, 1, 100L, snapshot("A", "B", 9)),
        cardEvent("publish", "cards-shop", id, 0, 100L, snapshot("A", "B", 9)),
        cardEvent("publish", "cards-shop", id, 1, -1L, snapshot("A", "B", 9)),
        cardEvent("publish", "other-shop", id, 1, 100L, snapshot("A", "B", 9)),
        cardEvent("publish", "cards-shop", id, 1, 100L, snapshot("A", "B", 9)).put("eventId", "nope")}) {
      Resp r = sf.call("POST", "/api/storefronts/cards-shop/cards", bad, sf.service);
      assertThat(r.status()).as(bad.encode()).isEqualTo(400);
    }
    assertThat(sf.count("SELECT count(*) FROM storefront_cards WHERE slabtrack_card_id = $1", id)).isZero();
  }

  @Test
  void aCardWhoseGradeIsNotANumberDoesNotBreakTheGradeFilter() throws Exception {
    sf.shop("odd-shop", "erin");
    sf.publish(cardEvent("publish", "odd-shop", IDS.incrementAndGet(), 1, 100L,
        snapshot("A", "B", 9).put("grade", "Authentic")));
    long ten = IDS.incrementAndGet();
    sf.publish(cardEvent("publish", "odd-shop", ten, 1, 100L, snapshot("A", "B", 10)));
    Resp r = sf.get("/api/storefronts/odd-shop/cards?grade=10");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.items()).hasSize(1);
    assertThat(sf.get("/api/storefronts/odd-shop/cards?grade=ten").status()).isEqualTo(400);
  }

  @Test
  void ingestNeedsAServiceToken() throws Exception {
    JsonObject e = cardEvent("publish", "cards-shop", IDS.incrementAndGet(), 1, 100L, snapshot("A", "B", 9));
    assertThat(sf.call("POST", "/api/storefronts/cards-shop/cards", e, null).status()).isEqualTo(401);
    assertThat(sf.call("POST", "/api/storefronts/cards-shop/cards", e, sf.operator).status()).isIn(401, 403);
  }

  @Test
  void buyersBrowseFeaturedFirstWithFiltersAndPages() throws Exception {
    sf.shop("browse-shop", "frank");
    long ja = IDS.incrementAndGet();
    long luka = IDS.incrementAndGet();
    long wemby = IDS.incrementAndGet();
    long hidden = IDS.incrementAndGet();
    sf.publish(cardEvent("publish", "browse-shop", ja, 1, 5000L, snapshot("Ja Morant", "Panini Prizm", 10)));
    sf.publish(cardEvent("publish", "browse-shop", luka, 1, 12000L, snapshot("Luka Doncic", "Donruss Optic", 9.5)));
    sf.publish(cardEvent("publish", "browse-shop", wemby, 1, 30000L, snapshot("Victor Wembanyama", "Panini Prizm", 9)));
    sf.publish(cardEvent("publish", "browse-shop", hidden, 1, 100L, snapshot("Hidden Guy", "Panini Prizm", 10)));
    String frank = StorefrontFixture.vendor("frank");

    Resp feature = sf.call("PATCH", "/api/storefronts/browse-shop/cards/" + wemby,
        new JsonObject().put("featured", true).put("customPrice", 25000), frank);
    assertThat(feature.status()).as(feature.toString()).isEqualTo(200);
    assertThat(feature.json().getLong("price")).as("the owner's price wins").isEqualTo(25000L);
    assertThat(feature.json().getLong("publishedPrice")).isEqualTo(30000L);
    assertThat(sf.call("PATCH", "/api/storefronts/browse-shop/cards/" + hidden,
        new JsonObject().put("hidden", true), frank).json().getString("status")).isEqualTo("hidden");
    // core's later update keeps the owner's price and hidden flag
    sf.publish(cardEvent("update", "browse-shop", wemby, 2, 31000L, snapshot("Victor Wembanyama", "Panini Prizm", 9)));
    sf.publish(cardEvent("update", "browse-shop", hidden, 2, 100L, snapshot("Hidden Guy", "Panini Prizm", 10)));

    JsonArray all = sf.get("/api/storefronts/browse-shop/cards").items();
    assertThat(all).hasSize(3);
    assertThat(all.getJsonObject(0).getLong("slabtrackCardId")).as("featured first").isEqualTo(wemby);
    assertThat(all.getJsonObject(0).getLong("price")).isEqualTo(25000L);
    assertThat(sf.get("/api/storefronts/browse-shop/cards/" + hidden).status()).isEqualTo(404);

    assertThat(ids("?player=ja")).containsExactly(ja);
    assertThat(ids("?set=prizm")).containsExactlyInAnyOrder(ja, wemby);
    assertThat(ids("?grade=9.5")).containsExactly(luka);
    assertThat(ids("?minPrice=10000&maxPrice=26000")).containsExactlyInAnyOrder(luka, wemby);
    assertThat(ids("?q=optic")).containsExactly(luka);
    assertThat(ids("?q=100%25")).isEmpty();

    Resp page1 = sf.get("/api/storefronts/browse-shop/cards?limit=2");
    Resp page2 = sf.get("/api/storefronts/browse-shop/cards?limit=2&offset=2");
    assertThat(page1.json().getLong("total")).isEqualTo(3L);
    assertThat(page1.items()).hasSize(2);
    assertThat(page2.items()).hasSize(1);
    assertThat(sf.get("/api/storefronts/browse-shop/cards?limit=0").status()).isEqualTo(400);
    assertThat(sf.get("/api/storefronts/browse-shop/cards?minPrice=cheap").status()).isEqualTo(400);
    assertThat(sf.get("/api/storefronts/nowhere/cards").status()).isEqualTo(404);

    Resp card = sf.get("/api/storefronts/browse-shop/cards/" + luka);
    assertThat(card.status()).isEqualTo(200);
    assertThat(card.json().getJsonObject("card").getString("setName")).isEqualTo("Donruss Optic");
    assertThat(card.json().containsKey("customPrice")).isFalse();
  }

  @Test
  void onlyTheOwnerOrAnOperatorEditsCards() throws Exception {
    sf.shop("edit-shop", "gina");
    long id = IDS.incrementAndGet();
    sf.publish(cardEvent("publish", "edit-shop", id, 1, 700L, snapshot("A", "B", 9)));
    String path = "/api/storefronts/edit-shop/cards/" + id;
    Resp other = sf.call("PATCH", path, new JsonObject().put("customPrice", 1), StorefrontFixture.vendor("mallory"));
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.json().getString("message")).isEqualTo("no access to this shop");
    assertThat(sf.call("PATCH", path, new JsonObject().put("customPrice", -1), sf.operator).status()).isEqualTo(400);
    assertThat(sf.call("PATCH", path, new JsonObject().put("featured", "yes"), sf.operator).status()).isEqualTo(400);
    assertThat(sf.call("PATCH", path, new JsonObject().put("status", "sold"), sf.operator).status()).isEqualTo(400);
    assertThat(sf.call("PATCH", "/api/storefronts/edit-shop/cards/999999", new JsonObject().put("featured", true),
        sf.operator).status()).isEqualTo(404);
    Resp op = sf.call("PATCH", path, new JsonObject().put("customPrice", 650), sf.operator);
    assertThat(op.json().getLong("price")).isEqualTo(650L);
    Resp cleared = sf.call("PATCH", path, new JsonObject().putNull("customPrice"), StorefrontFixture.vendor("gina"));
    assertThat(cleared.json().getLong("price")).as("null clears the custom price").isEqualTo(700L);
  }

  private static List<Long> ids(String query) throws Exception {
    Resp r = sf.get("/api/storefronts/browse-shop/cards" + query);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    List<Long> out = new ArrayList<>();
    r.items().forEach(o -> out.add(((JsonObject) o).getLong("slabtrackCardId")));
    return out;
  }
}
