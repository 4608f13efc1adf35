package io.slabtrack.core.cards;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.testing.TestNode;
import io.slabtrack.cluster.testing.TestTokens;
import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The inventory API over HTTP against a real core and PostgreSQL: CRUD, validation, filters, keyset pages. */
class CardsApiTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  @Test
  void createReadPatchDelete() throws Exception {
    JsonObject created = core.createCard(CoreFixture.card("Ja Morant", 12500).put("certNumber", "C-1")
        .put("sportscardsproPsa10", 11900).put("frontImageUrl", "https://img.test/f.jpg"));
    long id = created.getLong("id");
    assertThat(created.getString("listingStatus")).isEqualTo("personal");
    assertThat(created.getLong("version")).isEqualTo(1);
    assertThat(created.getString("ownerId")).isEqualTo(TestTokens.OPERATOR_ID);
    assertThat(created.getBoolean("pullEligible")).isTrue();
    assertThat(created.getJsonArray("channels").getJsonObject(0).getString("channel")).isEqualTo("personal");
    java.time.Instant.parse(created.getJsonArray("channels").getJsonObject(0).getString("updatedAt"));
    java.time.Instant.parse(created.getString("createdAt"));

    Resp got = core.get("/api/cards/" + id);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().getLong("askingPrice")).isEqualTo(12500);

    Resp patched = core.call("PATCH", "/api/cards/" + id, new JsonObject().put("askingPrice", 13000).putNull("parallel"));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().getLong("askingPrice")).isEqualTo(13000);
    assertThat(patched.json().getLong("version")).isEqualTo(2);

    Resp dup = core.post("/api/cards", CoreFixture.card("Other", 1).put("certNumber", "C-1"));
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.error()).isEqualTo("duplicate_cert");

    assertThat(core.call("DELETE", "/api/cards/" + id, null).status()).isEqualTo(204);
    assertThat(core.get("/api/cards/" + id).status()).isEqualTo(404);
    assertThat(core.call("DELETE", "/api/cards/" + id, null).status()).isEqualTo(404);
  }

  @Test
  void badInputIsA400NamingTheFieldAndChangesNothing() throws Exception {
    long before = core.count("SELECT count(*) FROM cards");
    assertBad(core.post("/api/cards", CoreFixture.card("X", -5)), "askingPrice");
    assertBad(core.post("/api/cards", new JsonObject().put("year", 2020)), "player");
    assertBad(core.post("/api/cards", CoreFixture.card("X", 5).put("grade", 9.3)), "grade");
    assertBad(core.post("/api/cards", CoreFixture.card("X", 5).put("bogus", 1)), "bogus");
    assertBad(core.post("/api/cards", CoreFixture.card("X", 5).put("frontImageUrl", "ftp://x")), "frontImageUrl");
    assertBad(core.post("/api/cards", "{not json"), "body");
    assertThat(core.send("POST", "/api/cards", core.operator, "text/plain", "{\"player\":\"x\"}").status())
        .isEqualTo(415);
    assertThat(core.count("SELECT count(*) FROM cards")).isEqualTo(before);

    assertBad(core.get("/api/cards/abc"), "id");
    assertBad(core.get("/api/cards/0"), "id");
    assertBad(core.get("/api/cards?limit=500"), "limit");
    assertBad(core.get("/api/cards?status=lost"), "status");
    assertBad(core.get("/api/cards?cursor=garbage"), "cursor");
    long id = core.createCard(CoreFixture.card("Patch Me", 100)).getLong("id");
    assertBad(core.call("PATCH", "/api/cards/" + id, new JsonObject().put("askingPrice", -1)), "askingPrice");
    assertBad(core.call("PATCH", "/api/cards/" + id, new JsonObject()), null);
    assertThat(core.get("/api/cards/" + id).json().getLong("version")).isEqualTo(1);
    assertThat(core.get("/api/cards/999999999").status()).isEqualTo(404);
  }

  @Test
  void everyRouteNeedsAnOperatorSession() throws Exception {
    assertThat(core.call("GET", "/api/cards", null, null).status()).isEqualTo(401);
    assertThat(core.call("GET", "/api/cards/abc", null, null).status()).isEqualTo(401);
    assertThat(core.call("GET", "/api/cards", null, TestTokens.buyer(TestNode.SECRET)).status()).isEqualTo(403);
    long id = core.createCard(CoreFixture.card("Guarded", 100)).getLong("id");
    for (String[] route : new String[][] {{"POST", "/api/cards/" + id + "/channels/ebay"},
        {"DELETE", "/api/cards/" + id}, {"POST", "/api/cards/import"}, {"GET", "/api/bridge"},
        {"GET", "/api/bridge/conflicts"}, {"GET", "/api/pricing/audit"}, {"POST", "/api/channels/commit"},
        {"GET", "/api/jobs/00000000-0000-0000-0000-000000000000"}, {"GET", "/api/orders"}, {"POST", "/api/cards/" + id + "/relist"}}) {
      assertThat(core.call(route[0], route[1], "[]", null).status()).as(route[1]).isEqualTo(401);
      assertThat(core.call(route[0], route[1], "[]", TestTokens.service(TestNode.SECRET,
          io.slabtrack.cluster.config.AppName.TOT, io.slabtrack.cluster.config.AppName.CORE)).status()).as(route[1])
          .isEqualTo(401);
    }
    assertThat(core.get("/api/cards/" + id).status()).isEqualTo(200);
    // routes outside the document keep their own guards; an unknown route is 401 anonymously (deny by default)
    // and the JSON 404 for an operator
    assertThat(core.call("GET", "/api/nope", null, null).status()).isEqualTo(401);
    assertThat(core.get("/api/nope").status()).isEqualTo(404);
    assertThat(core.call("GET", "/api/outbox", null, null).status()).isEqualTo(401);
    assertThat(core.get("/api/outbox").status()).isEqualTo(200);
    Resp doc = core.call("GET", "/openapi.json", null, null);
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.json().getJsonObject("paths").fieldNames()).contains("/api/cards", "/api/channels/commit");
  }

  @Test
  void filtersSortAndKeysetPages() throws Exception {
    String tag = "Filterman" + System.nanoTime();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      JsonObject c = new JsonObject().put("player", tag + " " + (char) ('A' + i)).put("year", 2000 + (i % 5))
          .put("setName", i % 2 == 0 ? "Topps Chrome" : "Bowman").put("gradingCompany", i % 3 == 0 ? "BGS" : "PSA")
          .put("grade", i % 3 == 0 ? 9.5 : 10).put("askingPrice", 1000 + i * 100).put("certNumber", tag + i);
      ids.add(core.createCard(c).getLong("id"));
    }
    JsonObject all = core.get("/api/cards?player=" + tag + "&limit=200").json();
    assertThat(all.getLong("total")).isEqualTo(25);

    assertThat(core.get("/api/cards?player=" + tag + "&set=bowman").json().getLong("total")).isEqualTo(12);
    assertThat(core.get("/api/cards?player=" + tag + "&year=2003").json().getLong("total")).isEqualTo(5);
    assertThat(core.get("/api/cards?player=" + tag + "&grader=bgs&grade=9.5").json().getLong("total")).isEqualTo(9);
    assertThat(core.get("/api/cards?player=" + tag + "&minPrice=2000&maxPrice=2500").json().getLong("total")).isEqualTo(6);
    assertThat(core.get("/api/cards?q=" + tag + "1").json().getLong("total")).isEqualTo(11); // cert tag1, tag10..19
    assertThat(core.get("/api/cards?player=" + tag + "&status=sold").json().getLong("total")).isEqualTo(0);
    assertThat(core.get("/api/cards?player=" + tag + "&channel=ebay").json().getLong("total")).isEqualTo(0);

    for (String sort : List.of("id", "-askingPrice", "player", "-year", "updatedAt")) {
      List<Long> seen = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        Resp page = core.get("/api/cards?player=" + tag + "&limit=7&sort=" + sort + (cursor == null ? "" : "&cursor=" + cursor));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        JsonArray items = page.json().getJsonArray("items");
        items.forEach(o -> seen.add(((JsonObject) o).getLong("id")));
        cursor = page.json().getString("nextCursor");
        pages++;
      } while (cursor != null);
      assertThat(pages).as(sort).isEqualTo(4);
      assertThat(seen).as(sort).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();
      if (sort.equals("-askingPrice")) {
        assertThat(seen.get(0)).isEqualTo(ids.get(24));
      }
      if (sort.equals("id")) {
        assertThat(seen).isSorted();
      }
    }
  }

  @Test
  void sportAndTeamAreCardFactsOfTheApiAndTheImport() throws Exception {
    JsonObject created = core.createCard(CoreFixture.card("Dak Prescott", 1500).put("sport", "football")
        .put("team", "Dallas Cowboys"));
    assertThat(created.getString("sport")).isEqualTo("football");
    assertThat(created.getString("team")).isEqualTo("Dallas Cowboys");
    long id = created.getLong("id");
    Resp patched = core.call("PATCH", "/api/cards/" + id, new JsonObject().put("team", "Texas Rangers")
        .put("sport", "baseball"));
    assertThat(patched.json().getString("team")).isEqualTo("Texas Rangers");
    assertThat(core.get("/api/cards?sport=baseball&team=rangers").json().getJsonArray("items"))
        .extracting(o -> ((JsonObject) o).getLong("id")).contains(id);
    assertBad(core.post("/api/cards", CoreFixture.card("X", 5).put("sport", "curling")), "sport");
    assertBad(core.call("PATCH", "/api/cards/" + id, new JsonObject().put("sport", "cricket")), "sport");
    assertBad(core.get("/api/cards?sport=curling"), "sport");
    assertThat(core.get("/api/cards/" + id).json().getString("sport")).isEqualTo("baseball");

    String tag = "Import" + System.nanoTime();
    Resp accepted = core.send("POST", "/api/cards/import", core.operator, "text/csv",
        "player,sport,team,askingPrice\n" + tag + " A,Hockey,Dallas Stars,900\n" + tag + " B,basketball,,500\n");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    CoreFixture.await("import", java.time.Duration.ofSeconds(30), () -> {
      try {
        return core.get("/api/cards?player=" + tag).json().getLong("total") == 2;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    JsonArray items = core.get("/api/cards?player=" + tag + "&sort=player").json().getJsonArray("items");
    assertThat(items.getJsonObject(0).getString("team")).isEqualTo("Dallas Stars");
    assertThat(items.getJsonObject(0).getString("sport")).as("a spreadsheet's capitals are forgiven").isEqualTo("hockey");
    assertThat(items.getJsonObject(1).getString("team")).isNull();
  }

  private static void assertBad(Resp r, String field) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    if (field != null) {
      assertThat(r.field()).as(r.body()).isEqualTo(field);
    }
  }
}
