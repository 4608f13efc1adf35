package io.slabtrack.tot.listings;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.tot.TotFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The public browse API: filters, pagination, the Pull-only flag, only ACTIVE listings. */
class BrowseTest {
  private static TotFixture tot;

  @BeforeAll
  static void start() throws Exception {
    tot = TotFixture.start();
    tot.ingest(TotFixture.single("publish", 1, 1, 1_000).put("card", TotFixture.card(1, 1, 1_000)
        .put("player", "Ja Morant")));
    tot.ingest(TotFixture.single("publish", 2, 1, 4_000));
    tot.ingest(TotFixture.single("publish", 3, 1, 9_000));
    tot.ingest(TotFixture.lot("publish", "lot-x", 1, 10, 2_000, 11, 2_000));
    tot.ingest(TotFixture.single("publish", 4, 1, 5_000));
    tot.ingest(TotFixture.single("disengage", 4, 2, 5_000));
  }

  @AfterAll
  static void stop() throws Exception {
    tot.close();
  }

  private JsonArray items(String query) throws Exception {
    TotFixture.Resp r = tot.get("/api/listings" + query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getJsonArray("items");
  }

  @Test
  void filtersByKindPricePlayerAndText() throws Exception {
    assertThat(tot.get("/api/listings").json().getLong("total")).isEqualTo(4); // the withdrawn one is hidden
    assertThat(items("?kind=lot")).hasSize(1);
    assertThat(items("?kind=single&minPrice=3000&maxPrice=9000")).hasSize(2);
    assertThat(items("?player=morant").getJsonObject(0).getString("listingKey")).isEqualTo("card:1");
    assertThat(items("?q=prizm")).hasSize(4);
    assertThat(items("?set=PRIZ")).hasSize(4);
    assertThat(items("?set=Topps")).isEmpty();
    JsonObject page = tot.get("/api/listings?limit=2&offset=2").json();
    assertThat(page.getJsonArray("items")).hasSize(2);
    assertThat(page.getLong("total")).isEqualTo(4);
  }

  @Test
  void singlesUnderFifteenDollarsArePullOnly() throws Exception {
    assertThat(items("?player=morant").getJsonObject(0).getBoolean("pullOnly")).isTrue();
    assertThat(items("?minPrice=4000&maxPrice=4000").getJsonObject(0).getBoolean("pullOnly")).isFalse();
  }

  @Test
  void theOperatorSetsASpreadWithinTheConfiguredRange() throws Exception {
    long id = tot.sql("SELECT id FROM listings WHERE listing_key = 'card:3'").iterator().next().getLong(0);
    String path = "/api/admin/listings/" + id + "/spread";
    TotFixture.Resp r = tot.call("PATCH", path, new JsonObject().put("spread", "0.1"), tot.operator);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getJsonObject("flipConfig").getLong("winPrice")).isEqualTo(8_100);
    assertThat(r.json().getJsonObject("flipConfig").getLong("losePrice")).isEqualTo(9_900);
    assertThat(tot.call("PATCH", path, new JsonObject().put("spread", 0.6), tot.operator).status()).isEqualTo(400);
    assertThat(tot.call("PATCH", path, new JsonObject().put("spread", 0.01), tot.operator).status()).isEqualTo(400);
    assertThat(tot.call("PATCH", path, new JsonObject().put("spread", "abc"), tot.operator).status()).isEqualTo(400);
    assertThat(tot.call("PATCH", path, new JsonObject().put("spread", 0.25), null).status()).isEqualTo(401);
    assertThat(tot.call("PATCH", "/api/admin/listings/999999/spread", new JsonObject().put("spread", 0.25),
        tot.operator).status()).isEqualTo(404);
    tot.call("PATCH", path, new JsonObject().put("spread", 0.25), tot.operator);
  }

  @Test
  void badQueriesAre400AndUnknownIds404() throws Exception {
    assertThat(tot.get("/api/listings?kind=box").status()).isEqualTo(400);
    assertThat(tot.get("/api/listings?minPrice=-1").status()).isEqualTo(400);
    assertThat(tot.get("/api/listings?limit=1000").status()).isEqualTo(400);
    assertThat(tot.get("/api/listings/999999").status()).isEqualTo(404);
    assertThat(tot.get("/api/listings/abc").status()).isEqualTo(404);
  }
}
