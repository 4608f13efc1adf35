package io.slabtrack.core.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Engagement rules: personal replaced, exclusive vs dual listing, sold and relist, all-or-nothing commits. */
class ChannelRulesTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  private static long newCard() throws Exception {
    return core.createCard(CoreFixture.card("Rules", 2500)).getLong("id");
  }

  private static Map<String, String> states(long id) throws Exception {
    Map<String, String> out = new TreeMap<>();
    core.get("/api/cards/" + id).json().getJsonArray("channels")
        .forEach(o -> out.put(((JsonObject) o).getString("channel"), ((JsonObject) o).getString("status")));
    return out;
  }

  @Test
  void engagingReplacesPersonalAndNonExclusiveChannelsCoexist() throws Exception {
    long id = newCard();
    Resp tot = core.post("/api/cards/" + id + "/channels/thisorthat", new JsonObject());
    assertThat(tot.status()).as(tot.body()).isEqualTo(200);
    assertThat(tot.json().getString("listingStatus")).isEqualTo("listed");
    assertThat(states(id)).containsEntry("personal", "inactive").containsEntry("thisorthat", "active");

    Resp sf = core.post("/api/cards/" + id + "/channels/storefront", new JsonObject().put("shop", "demo").put("price", 2700));
    assertThat(sf.status()).as(sf.body()).isEqualTo(200);
    assertThat(core.post("/api/cards/" + id + "/channels/ebay", null).status()).isEqualTo(200);
    assertThat(states(id)).containsEntry("thisorthat", "active").containsEntry("storefront", "active")
        .containsEntry("ebay", "active");

    // a new price on the same shop is an update; another shop needs a disengage first
    assertThat(core.post("/api/cards/" + id + "/channels/storefront", new JsonObject().put("shop", "demo")
        .put("price", 2600)).status()).isEqualTo(200);
    Resp move = core.post("/api/cards/" + id + "/channels/storefront", new JsonObject().put("shop", "other"));
    assertThat(move.status()).isEqualTo(409);
    assertThat(move.body()).contains("already_active");

    // an exclusive channel can't join them, and nothing changes
    long version = core.get("/api/cards/" + id).json().getLong("version");
    Resp showcase = core.post("/api/cards/" + id + "/channels/showcase", null);
    assertThat(showcase.status()).isEqualTo(409);
    assertThat(showcase.json().getJsonObject("details").getJsonArray("conflicts")).hasSize(3);
    assertThat(core.get("/api/cards/" + id).json().getLong("version")).isEqualTo(version);

    // disengaging all returns the card to personal
    for (String ch : new String[] {"thisorthat", "storefront", "ebay"}) {
      assertThat(core.call("DELETE", "/api/cards/" + id + "/channels/" + ch, null).status()).isEqualTo(204);
    }
    assertThat(states(id)).containsEntry("personal", "active").doesNotContainValue("sold");
    assertThat(core.get("/api/cards/" + id).json().getString("listingStatus")).isEqualTo("personal");
    // disengaging again is a no-op
    assertThat(core.call("DELETE", "/api/cards/" + id + "/channels/ebay", null).status()).isEqualTo(204);
  }

  @Test
  void anExclusiveChannelExcludesEveryOther() throws Exception {
    long id = newCard();
    assertThat(core.post("/api/cards/" + id + "/channels/repack", null).status()).isEqualTo(200);
    Resp tot = core.post("/api/cards/" + id + "/channels/thisorthat", null);
    assertThat(tot.status()).isEqualTo(409);
    JsonObject conflict = tot.json().getJsonObject("details").getJsonArray("conflicts").getJsonObject(0);
    assertThat(conflict.getLong("cardId")).isEqualTo(id);
    assertThat(conflict.getString("channel")).isEqualTo("repack");
    assertThat(conflict.getString("reason")).isEqualTo("exclusive_conflict");
    assertThat(core.post("/api/cards/" + id + "/channels/showcase", null).status()).isEqualTo(409);
    assertThat(states(id)).containsEntry("repack", "active").doesNotContainKeys("thisorthat", "showcase");
  }

  @Test
  void badEngagementsAre400sOr404s() throws Exception {
    long id = newCard();
    assertField(core.post("/api/cards/" + id + "/channels/storefront", new JsonObject()), "shop");
    assertField(core.post("/api/cards/" + id + "/channels/storefront", new JsonObject().put("shop", "Bad Shop!")), "shop");
    assertField(core.post("/api/cards/" + id + "/channels/thisorthat", new JsonObject().put("price", -1)), "price");
    assertField(core.post("/api/cards/" + id + "/channels/myspace", null), "channel");
    assertField(core.post("/api/cards/" + id + "/channels/personal", null), "channel");
    assertField(core.post("/api/cards/x/channels/ebay", null), "id");
    assertThat(core.post("/api/cards/987654321/channels/ebay", null).status()).isEqualTo(404);
    assertThat(states(id)).containsOnly(Map.entry("personal", "active"));
    // a card without any price can't be published
    long unpriced = core.createCard(new JsonObject().put("player", "No Price")).getLong("id");
    Resp r = core.post("/api/cards/" + unpriced + "/channels/thisorthat", null);
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.body()).contains("no_price");
  }

  @Test
  void soldCardsCantBeEngagedOrDeletedUntilRelisted() throws Exception {
    long id = newCard();
    core.post("/api/cards/" + id + "/channels/storefront", new JsonObject().put("shop", "demo"));
    assertThat(core.call("DELETE", "/api/cards/" + id, null).status()).isEqualTo(409);
    // sell it the way a channel does: a claim
    JsonObject claim = new JsonObject().put("eventId", java.util.UUID.randomUUID().toString())
        .put("claimId", "relist-" + id).put("channel", "storefront").put("orderRef", "o-" + id).put("lockRef", "l-" + id)
        .put("cardIds", new JsonArray().add(id)).put("amountCents", 2500)
        .put("authExpiresAt", java.time.Instant.now().plusSeconds(3600).toString());
    assertThat(core.node.vertx().eventBus().<JsonObject>request("core.sale.claim", claim,
        io.slabtrack.cluster.testing.TestTokens.busFrom(io.slabtrack.cluster.testing.TestNode.SECRET, io.slabtrack.cluster.config.AppName.STOREFRONT, io.slabtrack.cluster.config.AppName.CORE))
        .await(30, java.util.concurrent.TimeUnit.SECONDS).body().getString("outcome")).isEqualTo("won");
    assertThat(states(id)).containsEntry("storefront", "sold");
    Resp again = core.post("/api/cards/" + id + "/channels/thisorthat", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body()).contains("\"sold\"");
    assertThat(core.call("DELETE", "/api/cards/" + id, null).status()).isEqualTo(409);
    assertThat(core.call("DELETE", "/api/cards/" + id + "/channels/storefront", null).status()).isEqualTo(409);

    Resp relisted = core.post("/api/cards/" + id + "/relist", null);
    assertThat(relisted.status()).isEqualTo(200);
    assertThat(relisted.json().getString("listingStatus")).isEqualTo("personal");
    assertThat(relisted.json().getValue("sold")).isNull();
    assertThat(states(id)).containsEntry("personal", "active").containsEntry("storefront", "inactive");
    assertThat(core.post("/api/cards/" + id + "/relist", null).status()).isEqualTo(409);
    assertThat(core.post("/api/cards/" + id + "/channels/thisorthat", null).status()).isEqualTo(200);
  }

  @Test
  void aCommitWithOneConflictChangesNothing() throws Exception {
    long a = newCard();
    long b = newCard();
    long c = newCard();
    core.post("/api/cards/" + c + "/channels/showcase", null);
    long keeper = core.createCard(CoreFixture.card("Keeper", 100).put("isKeeper", true)).getLong("id");
    long outboxBefore = core.count("SELECT count(*) FROM outbox");
    JsonArray commit = new JsonArray()
        .add(new JsonObject().put("cardId", a).put("channel", "thisorthat"))
        .add(new JsonObject().put("cardId", b).put("channel", "storefront").put("shop", "demo"))
        .add(new JsonObject().put("cardId", c).put("channel", "ebay"));
    Resp r = core.post("/api/channels/commit", commit);
    assertThat(r.status()).isEqualTo(409);
    JsonArray conflicts = r.json().getJsonObject("details").getJsonArray("conflicts");
    assertThat(conflicts).hasSize(1);
    assertThat(conflicts.getJsonObject(0).getLong("cardId")).isEqualTo(c);
    assertThat(states(a)).containsOnly(Map.entry("personal", "active"));
    assertThat(states(b)).containsOnly(Map.entry("personal", "active"));
    assertThat(core.count("SELECT count(*) FROM outbox")).isEqualTo(outboxBefore);

    // keepers are never engaged by bulk actions (but may be by hand)
    Resp k = core.post("/api/channels/commit", new JsonArray().add(new JsonObject().put("cardId", keeper).put("channel", "ebay")));
    assertThat(k.status()).isEqualTo(409);
    assertThat(k.body()).contains("keeper");
    assertThat(core.post("/api/cards/" + keeper + "/channels/ebay", null).status()).isEqualTo(200);

    // without the conflict it commits, all of it
    Resp ok = core.post("/api/channels/commit", new JsonArray(commit.getList().subList(0, 2)));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(states(a)).containsEntry("thisorthat", "active");
    assertThat(states(b)).containsEntry("storefront", "active");
    // malformed items name the item and field
    assertField(core.post("/api/channels/commit", new JsonArray().add(new JsonObject().put("cardId", a))), "[0].channel");
    assertField(core.post("/api/channels/commit", new JsonArray().add(new JsonObject().put("cardId", b)
        .put("channel", "storefront"))), "[0].shop");
  }

  @Test
  void lotsNeedTwoToTwentyFiveCards() throws Exception {
    long a = newCard();
    Resp one = core.post("/api/channels/commit", new JsonArray()
        .add(new JsonObject().put("cardId", a).put("channel", "thisorthat").put("lot", "solo")));
    assertField(one, "lot");
    Resp ebayLot = core.post("/api/channels/commit", new JsonArray()
        .add(new JsonObject().put("cardId", a).put("channel", "ebay").put("lot", "x")));
    assertField(ebayLot, "[0].lot");
  }

  private static void assertField(Resp r, String field) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.field()).as(r.body()).isEqualTo(field);
  }
}
