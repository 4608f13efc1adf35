package io.slabtrack.core.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.bus.Addresses;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.Receiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Durable publish to the satellites: nothing lost while a receiver is away, delivered in order with versions. */
class PublishFanOutTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void publishWhileTheReceiverIsDownIsDeliveredOnceItIsBack() throws Exception {
    long id = core.createCard(CoreFixture.card("Away", 4200).put("certNumber", "away-1")).getLong("id");
    assertThat(core.post("/api/cards/" + id + "/channels/thisorthat", null).status()).isEqualTo(200);
    // nobody listens on tot.cards.publish: the message waits in the outbox
    CoreFixture.await("a failed attempt", WAIT, () -> attempts(id) > 0);
    assertThat(core.count("SELECT count(*) FROM outbox WHERE address NOT LIKE 'public.%' AND aggregate LIKE $1 AND status = 'pending'", "%|card:" + id))
        .isEqualTo(1);

    try (Receiver tot = Receiver.on(core.node.vertx(), Addresses.TOT_CARDS_PUBLISH)) {
      CoreFixture.await("delivery", WAIT, () -> !tot.about(id).isEmpty());
      CoreFixture.await("outbox settled", WAIT, () -> pending(id) == 0);
      List<JsonObject> got = tot.about(id);
      assertThat(got).hasSize(1);
      JsonObject m = got.get(0);
      assertThat(m.getString("type")).isEqualTo("publish");
      assertThat(m.getString("listingKey")).isEqualTo("card:" + id);
      assertThat(m.getLong("price")).isEqualTo(4200);
      assertThat(m.getLong("version")).isEqualTo(2);
      assertThat(m.getJsonObject("card").getString("player")).isEqualTo("Away");
      assertThat(m.getJsonObject("card").containsKey("ownerId")).isFalse();
      assertThat(m.getString("eventId")).isNotBlank();
      assertThat(m.getString("occurredAt")).isNotBlank();
    }
  }

  @Test
  void aSatelliteThatIsDownHoldsBackOnlyItsOwnMessages() throws Exception {
    long id = core.createCard(CoreFixture.card("Dual", 3100).put("certNumber", "dual-1")).getLong("id");
    // ToT first: nobody listens there, so its publish waits in the outbox
    assertThat(core.post("/api/cards/" + id + "/channels/thisorthat", null).status()).isEqualTo(200);
    CoreFixture.await("a failed ToT attempt", WAIT, () -> attempts(id) > 0);
    try (Receiver shop = Receiver.on(core.node.vertx(), Addresses.STOREFRONT_CARDS_PUBLISH)) {
      assertThat(core.post("/api/cards/" + id + "/channels/storefront", new JsonObject().put("shop", "demo"))
          .status()).isEqualTo(200);
      CoreFixture.await("the Storefront publish, though ToT's is still pending", WAIT,
          () -> !shop.about(id).isEmpty());
      assertThat(core.count("SELECT count(*) FROM outbox WHERE address = $1 AND aggregate LIKE $2"
          + " AND status = 'pending'", Addresses.TOT_CARDS_PUBLISH, "%|card:" + id)).isEqualTo(1);
    }
  }

  @Test
  void updatesAndDisengagesFollowInOrderWithRisingVersions() throws Exception {
    try (Receiver tot = Receiver.on(core.node.vertx(), Addresses.TOT_CARDS_PUBLISH);
         Receiver shop = Receiver.on(core.node.vertx(), Addresses.STOREFRONT_CARDS_PUBLISH)) {
      long id = core.createCard(CoreFixture.card("Versions", 1000)).getLong("id");
      core.post("/api/cards/" + id + "/channels/thisorthat", null);
      core.post("/api/cards/" + id + "/channels/storefront", new JsonObject().put("shop", "demo").put("price", 1500));
      core.call("PATCH", "/api/cards/" + id, new JsonObject().put("askingPrice", 1100));
      core.call("PATCH", "/api/cards/" + id, new JsonObject().put("frontImageUrl", "https://img.test/new.jpg"));
      core.call("PATCH", "/api/cards/" + id, new JsonObject().put("consignor", "private note")); // not buyer-visible
      core.call("DELETE", "/api/cards/" + id + "/channels/thisorthat", null);

      CoreFixture.await("tot messages", WAIT, () -> tot.about(id).size() == 4);
      CoreFixture.await("storefront messages", WAIT, () -> shop.about(id).size() == 3);
      List<JsonObject> t = tot.about(id);
      assertThat(t).extracting(m -> m.getString("type")).containsExactly("publish", "update", "update", "disengage");
      assertThat(t).extracting(m -> m.getLong("version")).isSorted().doesNotHaveDuplicates();
      assertThat(t.get(1).getLong("price")).isEqualTo(1100);
      assertThat(t.get(2).getJsonObject("card").getString("frontImageUrl")).isEqualTo("https://img.test/new.jpg");
      assertThat(t.get(3).getString("reason")).isEqualTo("operator");

      List<JsonObject> s = shop.about(id);
      assertThat(s).extracting(m -> m.getString("type")).containsExactly("publish", "update", "update");
      assertThat(s).allSatisfy(m -> assertThat(m.getString("shop")).isEqualTo("demo"));
      assertThat(s).allSatisfy(m -> assertThat(m.getLong("price")).isEqualTo(1500)); // the shop's own price
      assertThat(s).extracting(m -> m.getLong("version")).isSorted().doesNotHaveDuplicates();
      // the last message each receiver holds carries the card's current version: applying by version converges
      long current = core.get("/api/cards/" + id).json().getLong("version");
      assertThat(t.get(3).getLong("version")).isEqualTo(current);
    }
  }

  @Test
  void everyListingChangeIsMirroredAsAPublicEventWithoutPrivateFields() throws Exception {
    try (Receiver tot = Receiver.on(core.node.vertx(), Addresses.TOT_CARDS_PUBLISH);
         Receiver shop = Receiver.on(core.node.vertx(), Addresses.STOREFRONT_CARDS_PUBLISH);
         Receiver publicTot = Receiver.on(core.node.vertx(), Addresses.publicCards("thisorthat"));
         Receiver publicShop = Receiver.on(core.node.vertx(), Addresses.publicCards("storefront"))) {
      long id = core.createCard(CoreFixture.card("Public", 1000)).getLong("id");
      core.post("/api/cards/" + id + "/channels/thisorthat", null);
      core.post("/api/cards/" + id + "/channels/storefront", new JsonObject().put("shop", "demo").put("price", 1500));
      core.call("PATCH", "/api/cards/" + id, new JsonObject().put("askingPrice", 1100));
      core.call("DELETE", "/api/cards/" + id + "/channels/thisorthat", null);

      CoreFixture.await("public tot events", WAIT, () -> publicOf(publicTot, id).size() == 3);
      CoreFixture.await("public storefront events", WAIT, () -> publicOf(publicShop, id).size() == 2);
      List<JsonObject> t = publicOf(publicTot, id);
      assertThat(t).extracting(m -> m.getString("type"))
          .containsExactly("card.listed", "card.updated", "card.withdrawn");
      assertThat(t.get(1).getLong("price")).isEqualTo(1100);
      assertThat(t.get(2).containsKey("price")).isFalse();
      List<JsonObject> s = publicOf(publicShop, id);
      assertThat(s).extracting(m -> m.getString("type")).containsExactly("card.listed", "card.updated");
      assertThat(s).allSatisfy(m -> {
        assertThat(m.getString("shop")).isEqualTo("demo");
        assertThat(m.getInteger("schemaVersion")).isEqualTo(1);
        assertThat(m.getString("eventId")).isNotBlank();
        assertThat(m.getString("occurredAt")).isNotBlank();
        assertThat(m.getString("listingKey")).isEqualTo("card:" + id);
        // only what a buyer's page shows: no card snapshot (consignor, owner), no order or buyer fields
        assertThat(m.fieldNames()).containsExactlyInAnyOrder("type", "eventId", "schemaVersion", "channel",
            "listingKey", "cardIds", "version", "price", "shop", "occurredAt");
      });
      // the private messages went out as before
      CoreFixture.await("private messages", WAIT, () -> tot.about(id).size() == 3 && shop.about(id).size() == 2);
    }
  }

  private static List<JsonObject> publicOf(Receiver r, long id) {
    return r.matching(m -> m.getJsonArray("cardIds").stream().anyMatch(o -> ((Number) o).longValue() == id));
  }

  @Test
  void aLotIsPublishedAsOneListing() throws Exception {
    try (Receiver tot = Receiver.on(core.node.vertx(), Addresses.TOT_CARDS_PUBLISH)) {
      long a = core.createCard(CoreFixture.card("Lot A", 1000)).getLong("id");
      long b = core.createCard(CoreFixture.card("Lot B", 2000)).getLong("id");
      long c = core.createCard(CoreFixture.card("Lot C", 3000)).getLong("id");
      JsonArray commit = new JsonArray();
      for (long id : new long[] {a, b, c}) {
        commit.add(new JsonObject().put("cardId", id).put("channel", "thisorthat").put("lot", "rookies"));
      }
      assertThat(core.post("/api/channels/commit", commit).status()).isEqualTo(200);
      CoreFixture.await("lot publish", WAIT, () -> !tot.about(a).isEmpty());
      List<JsonObject> got = tot.about(b);
      assertThat(got).hasSize(1);
      JsonObject lot = got.get(0);
      assertThat(lot.getString("type")).isEqualTo("publish");
      assertThat(lot.getString("listingKey")).startsWith("lot:lot-");
      assertThat(lot.getJsonObject("lot").getJsonArray("cardIds").stream()
          .map(o -> ((Number) o).longValue()).toList()).containsExactly(a, b, c);
      assertThat(lot.getLong("price")).isEqualTo(6000);
      assertThat(lot.getJsonArray("cards")).hasSize(3);

      // taking one card off ToT takes the whole lot down: one disengage for the lot, every card back on personal
      core.call("DELETE", "/api/cards/" + a + "/channels/thisorthat", null);
      CoreFixture.await("lot disengage", WAIT, () -> tot.about(c).size() == 2);
      assertThat(tot.about(c).get(1).getString("type")).isEqualTo("disengage");
      assertThat(core.get("/api/cards/" + c).json().getString("listingStatus")).isEqualTo("personal");
      assertThat(core.count("SELECT count(*) FROM conflict_log WHERE kind = 'bulk_disengage' AND card_id = $1", c))
          .isEqualTo(1);
    }
  }

  private static long attempts(long id) {
    try {
      return core.count("SELECT coalesce(max(attempts), 0) FROM outbox WHERE address NOT LIKE 'public.%' AND aggregate LIKE $1", "%|card:" + id);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long pending(long id) {
    try {
      return core.count("SELECT count(*) FROM outbox WHERE address NOT LIKE 'public.%' AND aggregate LIKE $1 AND status = 'pending'", "%|card:" + id);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
