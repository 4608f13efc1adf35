package io.slabtrack.core.strategist;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.auth.Role;
import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Strategist's proposal lifecycle over HTTP against a real core and PostgreSQL: build, read, edit, commit through
 * the commit path, commit twice, a conflict that commits nothing, staleness, bad input and who may call. Each test
 * owns its cards (its own operator's id), and proposals are built over that owner's cards only.
 */
class StrategistApiTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  /** An operator of their own: the cards they create are theirs. */
  private record Owner(String id, String token) {
    static Owner fresh() {
      String id = "owner-" + UUID.randomUUID();
      return new Owner(id, TestTokens.session(TestNode.SECRET, id, Role.OPERATOR));
    }

    long card(JsonObject c) throws Exception {
      Resp r = core.call("POST", "/api/cards", c, token);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      return r.json().getLong("id");
    }

    Resp call(String method, String path, Object body) throws Exception {
      return core.call(method, path, body, token);
    }
  }

  private static JsonObject card(String player, long cents, String sport, String team) {
    return CoreFixture.card(player, cents).put("sport", sport).put("team", team);
  }

  private static Map<String, String> active(long cardId) throws Exception {
    Map<String, String> out = new TreeMap<>();
    core.sql("SELECT channel, coalesce(shop, '') || '|' || coalesce(price_cents::text, '') || '|' || "
        + "coalesce(lot_key, '') AS v FROM card_channels WHERE card_id = $1 AND status = 'active'", cardId)
        .forEach(r -> out.put(r.getString("channel"), r.getString("v")));
    return out;
  }

  private static JsonObject entry(JsonObject proposal, long cardId) {
    return proposal.getJsonArray("cards").stream().map(o -> (JsonObject) o)
        .filter(c -> c.getLong("cardId") == cardId).findFirst().orElse(null);
  }

  @Test
  void proposeEditAndCommitOnceThroughTheCommitPath() throws Exception {
    Owner op = Owner.fresh();
    long single = op.card(card("Ja Morant", 3_000, "basketball", "Memphis Grizzlies"));
    long cheap = op.card(card("Cheap", 800, "other", null));
    long premium = op.card(card("Premium", 7_500, "baseball", null));
    long cowboys = op.card(card("Dak", 1_200, "football", "Dallas Cowboys"));
    long mavs = op.card(card("Luka", 1_100, "basketball", "Dallas Mavericks"));
    long stars = op.card(card("Robertson", 1_000, "hockey", "Dallas Stars"));
    long keeper = op.card(card("Keeper", 3_000, "basketball", null).put("isKeeper", true));
    long engaged = op.card(card("Engaged", 3_000, "basketball", null));
    assertThat(op.call("POST", "/api/cards/" + engaged + "/channels/ebay", new JsonObject()).status()).isEqualTo(200);

    Resp created = op.call("POST", "/api/strategist/proposals", new JsonObject().put("preset", "MIX")
        .put("ownerId", op.id()));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject p = created.json();
    String id = p.getString("id");
    assertThat(p.getString("status")).isEqualTo("open");
    assertThat(entry(p, keeper)).as("keepers are never proposed").isNull();
    assertThat(entry(p, engaged)).as("engaged cards are never proposed").isNull();
    assertThat(p.getJsonArray("cards")).hasSize(6);
    assertThat(entry(p, single).getString("pool")).isEqualTo("thisorthat");
    assertThat(entry(p, cheap).getString("pool")).isEqualTo("ebay");
    assertThat(entry(p, premium).getString("pool")).isEqualTo("storefront");
    assertThat(entry(p, single).getJsonObject("scores").getJsonObject("sport").getInteger("score")).isEqualTo(100);
    JsonObject lot = p.getJsonArray("lots").getJsonObject(0);
    assertThat(lot.getString("kind")).isEqualTo("city");
    assertThat(lot.getString("label")).isEqualTo("Dallas");
    assertThat(lot.getString("pool")).isEqualTo("thisorthat");
    assertThat(lot.getJsonArray("cardIds").stream().map(o -> ((Number) o).longValue()))
        .containsExactlyInAnyOrder(cowboys, mavs, stars);
    assertThat(p.getJsonObject("pools").getJsonObject("thisorthat").getInteger("count")).isEqualTo(4);
    assertThat(p.getJsonObject("config").getJsonObject("pools").getJsonObject("ebay").getLong("max")).isEqualTo(1_500);
    assertThat(core.get("/api/strategist/proposals/" + id).json()).isEqualTo(p);

    // edits: a new price, a drop; a bad edit changes nothing
    Resp bad = op.call("PATCH", "/api/strategist/proposals/" + id, new JsonObject().put("changes", new JsonArray()
        .add(new JsonObject().put("cardId", single).put("price", 3_300))
        .add(new JsonObject().put("cardId", keeper).put("pool", "ebay"))));
    assertThat(bad.status()).as(bad.body()).isEqualTo(422);
    assertThat(bad.error()).isEqualTo("card_not_in_proposal");
    Resp badPool = op.call("PATCH", "/api/strategist/proposals/" + id, new JsonObject().put("changes",
        new JsonArray().add(new JsonObject().put("cardId", single).put("pool", "moon"))));
    assertThat(badPool.status()).isEqualTo(400);
    assertThat(badPool.field()).isEqualTo("changes[0].pool");
    assertThat(core.get("/api/strategist/proposals/" + id).json()).isEqualTo(p);
    Resp edited = op.call("PATCH", "/api/strategist/proposals/" + id, new JsonObject().put("changes", new JsonArray()
        .add(new JsonObject().put("cardId", single).put("price", 3_300))
        .add(new JsonObject().put("cardId", cheap).put("drop", true))));
    assertThat(edited.status()).as(edited.body()).isEqualTo(200);
    assertThat(entry(edited.json(), cheap).getString("pool")).isEqualTo("personal");

    // the storefront card needs a shop: refused, nothing engaged, still open
    Resp noShop = op.call("POST", "/api/strategist/proposals/" + id + "/commit", null);
    assertThat(noShop.status()).as(noShop.body()).isEqualTo(422);
    assertThat(noShop.error()).isEqualTo("shop_required");
    assertThat(active(single)).containsOnlyKeys("personal");
    assertThat(op.call("PATCH", "/api/strategist/proposals/" + id, new JsonObject().put("shop", "demo")).status())
        .isEqualTo(200);

    Resp committed = op.call("POST", "/api/strategist/proposals/" + id + "/commit", null);
    assertThat(committed.status()).as(committed.body()).isEqualTo(200);
    assertThat(committed.json().getInteger("committed")).isEqualTo(5);
    assertThat(active(single)).containsOnlyKeys("thisorthat").containsEntry("thisorthat", "|3300|");
    assertThat(active(premium)).containsEntry("storefront", "demo||");
    String lotKey = active(cowboys).get("thisorthat").split("\\|")[2];
    assertThat(lotKey).startsWith("lot-");
    assertThat(active(mavs).get("thisorthat")).endsWith(lotKey);
    assertThat(active(stars).get("thisorthat")).endsWith(lotKey);
    assertThat(active(cheap)).as("dropped: stays personal").containsOnlyKeys("personal");
    assertThat(active(keeper)).containsOnlyKeys("personal");
    assertThat(core.get("/api/strategist/proposals/" + id).json().getString("status")).isEqualTo("committed");

    Resp twice = op.call("POST", "/api/strategist/proposals/" + id + "/commit", null);
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.error()).isEqualTo("proposal_committed");
    assertThat(op.call("PATCH", "/api/strategist/proposals/" + id, new JsonObject().put("shop", "other")).status())
        .isEqualTo(409);
  }

  @Test
  void aCardEngagedMeanwhileFailsTheWholeCommitAndACommitStalesOverlappingProposals() throws Exception {
    Owner op = Owner.fresh();
    long x = op.card(card("X", 3_000, "basketball", null));
    long y = op.card(card("Y", 3_500, "basketball", null));
    JsonObject request = new JsonObject().put("preset", "MIX").put("ownerId", op.id());
    String first = op.call("POST", "/api/strategist/proposals", request).json().getString("id");
    String second = op.call("POST", "/api/strategist/proposals", request).json().getString("id");
    Owner other = Owner.fresh();
    other.card(card("Elsewhere", 3_000, "basketball", null));
    String unrelated = other.call("POST", "/api/strategist/proposals", request.copy().put("ownerId", other.id()))
        .json().getString("id");

    assertThat(op.call("POST", "/api/cards/" + x + "/channels/ebay", new JsonObject()).status()).isEqualTo(200);
    Resp conflict = op.call("POST", "/api/strategist/proposals/" + first + "/commit", null);
    assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
    JsonArray conflicts = conflict.json().getJsonObject("details").getJsonArray("conflicts");
    assertThat(conflicts).contains(new JsonObject().put("cardId", x).put("channel", "ebay")
        .put("reason", "active_elsewhere"));
    assertThat(active(y)).as("nothing committed").containsOnlyKeys("personal");
    assertThat(core.get("/api/strategist/proposals/" + first).json().getString("status")).isEqualTo("open");

    // the operator drops the conflicting card and commits the rest
    op.call("PATCH", "/api/strategist/proposals/" + first, new JsonObject().put("changes",
        new JsonArray().add(new JsonObject().put("cardId", x).put("drop", true))));
    assertThat(op.call("POST", "/api/strategist/proposals/" + first + "/commit", null).status()).isEqualTo(200);
    assertThat(active(y)).containsOnlyKeys("thisorthat");

    assertThat(core.get("/api/strategist/proposals/" + second).json().getString("status")).isEqualTo("stale");
    Resp stale = op.call("POST", "/api/strategist/proposals/" + second + "/commit", null);
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.error()).isEqualTo("proposal_stale");
    assertThat(core.get("/api/strategist/proposals/" + unrelated).json().getString("status"))
        .as("a proposal over other cards stays open").isEqualTo("open");

    // proposals are kept 30 days: storing a new one forgets the older ones
    core.sql("UPDATE proposals SET created_at = now() - interval '31 days' WHERE id = $1", UUID.fromString(first));
    op.call("POST", "/api/strategist/proposals", request);
    assertThat(core.get("/api/strategist/proposals/" + first).status()).isEqualTo(404);
    assertThat(core.get("/api/strategist/proposals/" + second).status()).isEqualTo(200);
  }

  @Test
  void badInputIsRefusedAndChangesNothing() throws Exception {
    long before = core.count("SELECT count(*) FROM proposals");
    assertBad(core.post("/api/strategist/proposals", new JsonObject().put("preset", "BOGUS")), "preset");
    assertBad(core.post("/api/strategist/proposals", new JsonObject()), "preset");
    assertBad(core.post("/api/strategist/proposals", new JsonObject().put("preset", "MIX")
        .put("lots", new JsonObject().put("maxSize", 26))), "lots.maxSize");
    assertBad(core.post("/api/strategist/proposals", new JsonObject().put("preset", "MIX")
        .put("pools", new JsonObject().put("thisorthat", new JsonObject().put("min", 5_000).put("max", 1_000)))),
        "pools.thisorthat.max");
    assertBad(core.post("/api/strategist/proposals", new JsonObject().put("preset", "MIX").put("shop", "Not A Slug")),
        "shop");
    assertBad(core.post("/api/strategist/proposals", "[1]"), null);
    assertThat(core.count("SELECT count(*) FROM proposals")).isEqualTo(before);
    assertBad(core.get("/api/strategist/proposals/not-a-uuid"), "id");
    assertThat(core.get("/api/strategist/proposals/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(core.post("/api/strategist/proposals/" + UUID.randomUUID() + "/commit", null).status()).isEqualTo(404);
  }

  @Test
  void everyToolRouteNeedsAnOperator() throws Exception {
    String uuid = UUID.randomUUID().toString();
    String buyer = TestTokens.buyer(TestNode.SECRET);
    for (String[] route : List.of(new String[] {"POST", "/api/strategist/proposals", "{\"preset\":\"MIX\"}"},
        new String[] {"GET", "/api/strategist/proposals/" + uuid, null},
        new String[] {"PATCH", "/api/strategist/proposals/" + uuid, "{\"shop\":\"x\"}"},
        new String[] {"POST", "/api/strategist/proposals/" + uuid + "/commit", null},
        new String[] {"POST", "/api/lots/proposals", "{}"},
        new String[] {"GET", "/api/lots/proposals/" + uuid, null},
        new String[] {"POST", "/api/lots/proposals/" + uuid + "/commit", "{\"lots\":[\"L1\"]}"},
        new String[] {"GET", "/api/triage?band=5-50", null},
        new String[] {"POST", "/api/triage/commit", "{\"cardIds\":[1]}"})) {
      assertThat(core.call(route[0], route[1], route[2], null).status()).as(route[1]).isEqualTo(401);
      assertThat(core.call(route[0], route[1], route[2], buyer).status()).as(route[1]).isEqualTo(403);
    }
    assertThat(core.call("GET", "/openapi.json", null, null).json().getJsonObject("paths").fieldNames())
        .contains("/api/strategist/proposals", "/api/lots/proposals/{id}/commit", "/api/triage");
  }

  private static void assertBad(Resp r, String field) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    if (field != null) {
      assertThat(r.field()).as(r.body()).isEqualTo(field);
    }
  }
}
