package io.slabtrack.core.strategist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Editing a proposal: moves, drops, prices, lots that fill up or dissolve, and all-or-nothing refusals. */
class ProposalEditsTest {
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

  /** Cards 1-3 a Dallas city lot (L1), 4 a $30 ToT single, 5 a $75 storefront card. */
  private static JsonObject proposal() {
    List<PortfolioCard> cards = new ArrayList<>(List.of(
        card(1, 1_200, "football", "Dallas Cowboys"), card(2, 1_100, "basketball", "Dallas Mavericks"),
        card(3, 1_000, "hockey", "Dallas Stars"), card(4, 3_000, null, null), card(5, 7_500, null, null)));
    return new Allocator(lotsOff(Preset.MIX.defaults()), NOW).propose("strategist", cards);
  }

  private static StrategyConfig lotsOff(StrategyConfig c) {
    // ToT-only lots so cards 1-3 lot on ToT (eBay off)
    return new StrategyConfig(c.preset(), new Range(false, 0, 1_500L), c.ebayLotMax(), c.thisorthat(), c.storefront(),
        c.repack(), c.lots(), false, null);
  }

  private static PortfolioCard card(long id, long cents, String sport, String team) {
    return new PortfolioCard(id, "P" + id, 2024, "Set " + id, sport, team, cents, "graded", cents, 10,
        NOW.minusSeconds(60), true, true);
  }

  private static JsonObject card(JsonObject doc, long id) {
    return doc.getJsonArray("cards").stream().map(o -> (JsonObject) o).filter(c -> c.getLong("cardId") == id)
        .findFirst().orElseThrow();
  }

  private static JsonObject edit(JsonObject... changes) {
    return new JsonObject().put("changes", new JsonArray(List.of((Object[]) changes)));
  }

  @Test
  void movesDropsAndPricesApply() {
    JsonObject doc = proposal();
    assertThat(card(doc, 1).getString("lot")).isEqualTo("L1");
    JsonObject out = ProposalEdits.apply(doc, edit(
        new JsonObject().put("cardId", 4).put("pool", "ebay").put("price", 2_800),
        new JsonObject().put("cardId", 5).put("drop", true),
        new JsonObject().put("cardId", 4).put("lot", "L1")).put("shop", "demo"));
    assertThat(card(out, 4).getString("lot")).isEqualTo("L1");
    assertThat(card(out, 4).getString("pool")).isEqualTo("thisorthat");
    assertThat(card(out, 4).getLong("price")).isEqualTo(2_800);
    assertThat(card(out, 5).getString("pool")).isEqualTo("personal");
    assertThat(card(out, 5).getString("reason")).isEqualTo("dropped by the operator");
    assertThat(out.getString("shop")).isEqualTo("demo");
    JsonObject lot = out.getJsonArray("lots").getJsonObject(0);
    assertThat(lot.getInteger("count")).isEqualTo(4);
    assertThat(lot.getLong("totalValue")).isEqualTo(6_300);
    // the input document is untouched
    assertThat(card(doc, 4).getString("lot")).isNull();
  }

  @Test
  void aLotLeftWithOneCardIsDissolved() {
    JsonObject out = ProposalEdits.apply(proposal(), edit(new JsonObject().put("cardId", 1).put("pool", "ebay"),
        new JsonObject().put("cardId", 2).put("drop", true)));
    assertThat(out.getJsonArray("lots")).isEmpty();
    JsonObject left = card(out, 3);
    assertThat(left.getString("lot")).isNull();
    assertThat(left.getString("pool")).isEqualTo("thisorthat");
    assertThat(left.getBoolean("pullOnly")).as("$10 is under the solo-Flip floor").isTrue();
  }

  @Test
  void oneBadChangeRefusesTheWholeEdit() {
    JsonObject doc = proposal();
    JsonObject before = doc.copy();
    assertRefused(doc, edit(new JsonObject().put("cardId", 4).put("pool", "ebay"),
        new JsonObject().put("cardId", 999).put("pool", "ebay")), 422, "card_not_in_proposal", "changes[1].cardId");
    assertRefused(doc, edit(new JsonObject().put("cardId", 4).put("lot", "L9")), 422, "unknown_lot", "changes[0].lot");
    assertRefused(doc, edit(new JsonObject().put("cardId", 4).put("lot", "L1").put("pool", "ebay")), 400,
        "invalid_field", "changes[0].pool");
    assertRefused(doc, edit(new JsonObject().put("cardId", 4)), 400, "invalid_field", "changes[0].cardId");
    assertThat(doc).isEqualTo(before);
  }

  @Test
  void aFullLotTakesNoMoreCards() {
    List<PortfolioCard> cards = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      cards.add(new PortfolioCard(i, "Same Player", 2024, "S", null, null, 1_000, "graded", 1_000L, 5,
          NOW.minusSeconds(60), true, true));
    }
    cards.add(card(26, 3_000, null, null));
    JsonObject doc = new Allocator(lotsOff(Preset.MIX.defaults()), NOW).propose("strategist", cards);
    assertThat(doc.getJsonArray("lots").getJsonObject(0).getInteger("count")).isEqualTo(25);
    assertRefused(doc, edit(new JsonObject().put("cardId", 26).put("lot", "L1")), 422, "lot_full", "changes[0].lot");
  }

  private static void assertRefused(JsonObject doc, JsonObject patch, int status, String code, String field) {
    assertThatThrownBy(() -> ProposalEdits.apply(doc, patch)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(status);
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.details().getString("field")).isEqualTo(field);
    });
  }
}
