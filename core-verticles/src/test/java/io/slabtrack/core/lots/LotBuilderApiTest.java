package io.slabtrack.core.lots;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Lot Builder over HTTP: lots-only proposals, committing a chosen subset to ToT once. */
class LotBuilderApiTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void proposesLotsAndCommitsTheChosenOnesToTot() throws Exception {
    String owner = "lots-" + UUID.randomUUID();
    String op = TestTokens.session(TestNode.SECRET, owner, Role.OPERATOR);
    List<Long> dallas = new ArrayList<>();
    for (String[] t : new String[][] {{"football", "Dallas Cowboys"}, {"basketball", "Dallas Mavericks"},
        {"hockey", "Dallas Stars"}, {"baseball", "Texas Rangers"}}) {
      dallas.add(create(op, CoreFixture.card("Dallas " + t[1], 500).put("sport", t[0]).put("team", t[1])));
    }
    List<Long> player = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      player.add(create(op, CoreFixture.card("Wemby", 700).put("setName", "Set " + i).put("sport", "basketball")));
    }
    long single = create(op, CoreFixture.card("Too Good To Lot", 4_000));
    long keeper = create(op, CoreFixture.card("Dallas Keeper", 500).put("team", "Dallas Cowboys").put("isKeeper", true));

    Resp created = core.call("POST", "/api/lots/proposals", new JsonObject().put("ownerId", owner), op);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject p = created.json();
    assertThat(p.getString("tool")).isEqualTo("lots");
    JsonArray lots = p.getJsonArray("lots");
    assertThat(lots).hasSize(2);
    JsonObject city = lots.getJsonObject(0);
    assertThat(city.getString("kind")).isEqualTo("city");
    assertThat(city.getString("label")).isEqualTo("Dallas");
    assertThat(ids(city)).containsExactlyInAnyOrderElementsOf(dallas).doesNotContain(keeper);
    assertThat(city.getLong("totalValue")).isEqualTo(2_000);
    JsonObject wemby = lots.getJsonObject(1);
    assertThat(wemby.getString("kind")).isEqualTo("player");
    assertThat(wemby.getJsonArray("chips")).containsExactly("Wemby");
    assertThat(p.getJsonObject("pools").getJsonObject("personal").getJsonArray("singles").stream()
        .map(o -> ((Number) o).longValue())).as("above the threshold: no lot, stays personal").contains(single);

    String id = p.getString("id");
    Resp unknown = core.call("POST", "/api/lots/proposals/" + id + "/commit", new JsonObject()
        .put("lots", new JsonArray().add("L1").add("L9")), op);
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.field()).isEqualTo("lots[1]");
    assertThat(core.call("POST", "/api/lots/proposals/" + id + "/commit", new JsonObject()
        .put("lots", new JsonArray()), op).status()).isEqualTo(400);
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE card_id = ANY($1) AND channel = 'thisorthat'",
        (Object) dallas.toArray(new Long[0]))).isZero();

    Resp committed = core.call("POST", "/api/lots/proposals/" + id + "/commit", new JsonObject()
        .put("lots", new JsonArray().add(city.getString("id"))), op);
    assertThat(committed.status()).as(committed.body()).isEqualTo(200);
    assertThat(committed.json().getInteger("committed")).isEqualTo(4);
    assertThat(core.count("SELECT count(DISTINCT lot_key) FROM card_channels WHERE card_id = ANY($1)"
        + " AND channel = 'thisorthat' AND status = 'active' AND lot_key IS NOT NULL",
        (Object) dallas.toArray(new Long[0]))).isEqualTo(1);
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE card_id = ANY($1) AND channel <> 'personal'",
        (Object) player.toArray(new Long[0]))).as("the lot not chosen stays personal").isZero();

    Resp again = core.call("POST", "/api/lots/proposals/" + id + "/commit", new JsonObject()
        .put("lots", new JsonArray().add(wemby.getString("id"))), op);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error()).isEqualTo("proposal_committed");
    // the builder runs again over what is left: the committed lot is gone, the other is still proposed
    JsonArray next = core.call("POST", "/api/lots/proposals", new JsonObject().put("ownerId", owner), op).json()
        .getJsonArray("lots");
    assertThat(next).hasSize(1);
    assertThat(ids(next.getJsonObject(0))).containsExactlyInAnyOrderElementsOf(player);
  }

  @Test
  void badSizesAreRefused() throws Exception {
    assertThat(core.post("/api/lots/proposals", new JsonObject().put("maxSize", 30)).field()).isEqualTo("maxSize");
    assertThat(core.post("/api/lots/proposals", new JsonObject().put("minSize", 10).put("maxSize", 5)).field())
        .isEqualTo("minSize");
    assertThat(core.get("/api/lots/proposals/" + UUID.randomUUID()).status()).isEqualTo(404);
  }

  private static long create(String token, JsonObject card) throws Exception {
    Resp r = core.call("POST", "/api/cards", card, token);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getLong("id");
  }

  private static List<Long> ids(JsonObject lot) {
    return lot.getJsonArray("cardIds").stream().map(o -> ((Number) o).longValue()).toList();
  }
}
