package io.slabtrack.core.triage;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.core.CoreFixture;
import io.slabtrack.core.CoreFixture.Resp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Triage over HTTP: price bands of cards not on ToT yet, and committing the chosen ones as ToT singles. */
class TriageApiTest {
  @RegisterExtension
  static final CoreFixture core = CoreFixture.perClass();

  private static long card(long cents) throws Exception {
    return core.createCard(CoreFixture.card("Triage " + cents, cents)).getLong("id");
  }

  private static List<Long> ids(JsonObject page) {
    return page.getJsonArray("cards").stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }

  @Test
  void bandsListCardsNotOnTotMostValuableFirstAndCommitThemAsSingles() throws Exception {
    long three = card(300);
    long twenty = card(2_000);
    long forty = card(4_000);
    long hundred = card(10_000);
    long keeper = core.createCard(CoreFixture.card("Keeper", 3_000).put("isKeeper", true)).getLong("id");
    long onTot = card(2_500);
    long onShop = card(3_500);
    core.post("/api/cards/" + onTot + "/channels/thisorthat", new JsonObject());
    core.post("/api/cards/" + onShop + "/channels/storefront", new JsonObject().put("shop", "demo"));

    JsonObject band = core.get("/api/triage").json();
    assertThat(band.getString("band")).as("the default band").isEqualTo("5-50");
    assertThat(band.getString("advice")).contains("sweet spot");
    assertThat(ids(band)).containsExactly(forty, onShop, twenty);
    JsonObject first = band.getJsonArray("cards").getJsonObject(0);
    assertThat(first.getLong("value")).isEqualTo(4_000);
    assertThat(first.getString("hint")).isEqualTo("thisorthat");
    assertThat(ids(core.get("/api/triage?band=%3C5").json())).containsExactly(three);
    assertThat(ids(core.get("/api/triage?band=50-200").json())).containsExactly(hundred);
    assertThat(ids(core.get("/api/triage?band=any").json())).containsExactly(hundred, forty, onShop, twenty, three)
        .doesNotContain(keeper, onTot);

    Resp bad = core.get("/api/triage?band=5-500");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.field()).isEqualTo("band");

    Resp committed = core.post("/api/triage/commit", new JsonObject().put("cardIds", new JsonArray().add(forty)
        .add(onShop)));
    assertThat(committed.status()).as(committed.body()).isEqualTo(200);
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE card_id = ANY($1) AND channel = 'thisorthat'"
        + " AND status = 'active' AND lot_key IS NULL", (Object) new Long[] {forty, onShop})).isEqualTo(2);
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE card_id = $1 AND channel = 'storefront'"
        + " AND status = 'active'", onShop)).as("dual listing kept").isEqualTo(1);
    assertThat(ids(core.get("/api/triage").json())).containsExactly(twenty);

    // a keeper in the batch: 409, and nothing of the batch is engaged
    Resp refused = core.post("/api/triage/commit", new JsonObject().put("cardIds", new JsonArray().add(twenty)
        .add(keeper)));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body()).contains("keeper");
    assertThat(core.count("SELECT count(*) FROM card_channels WHERE card_id = $1 AND channel = 'thisorthat'", twenty))
        .isZero();
    assertThat(core.post("/api/triage/commit", new JsonObject().put("cardIds", new JsonArray())).status())
        .isEqualTo(400);
  }
}
