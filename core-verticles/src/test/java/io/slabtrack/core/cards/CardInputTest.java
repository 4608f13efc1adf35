package io.slabtrack.core.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules a schema can't say well, judged without a server (they also judge every import row). */
class CardInputTest {

  private static void refused(JsonObject body, String field) {
    assertThatThrownBy(() -> CardInput.forCreate(body)).isInstanceOfSatisfying(InvalidField.class,
        e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void normalisesGoodInput() {
    Map<CardField, Object> v = CardInput.forCreate(new JsonObject().put("player", "  Ja Morant ").put("grade", "9.5")
        .put("gradingCompany", "bgs").put("askingPrice", 1200.0).put("setName", "").put("compsRefreshedAt",
            "2026-11-01T00:00:00Z").put("isKeeper", true));
    assertThat(v.get(CardField.PLAYER)).isEqualTo("Ja Morant");
    assertThat(v.get(CardField.GRADE)).isEqualTo(new BigDecimal("9.5"));
    assertThat(v.get(CardField.GRADING_COMPANY)).isEqualTo("BGS");
    assertThat(v.get(CardField.ASKING_PRICE)).isEqualTo(1200L);
    assertThat(v.get(CardField.SET_NAME)).isNull();
    assertThat(CardInput.toRecord(v).getString("grade")).isEqualTo("9.5");
  }

  @Test
  void refusesEachBadField() {
    refused(new JsonObject().put("year", 2020), "player");
    refused(new JsonObject().put("player", "   "), "player");
    refused(new JsonObject().put("player", "x").put("grade", 9.25), "grade");
    refused(new JsonObject().put("player", "x").put("grade", 0.5), "grade");
    refused(new JsonObject().put("player", "x").put("grade", "ten"), "grade");
    refused(new JsonObject().put("player", "x").put("askingPrice", 10.5), "askingPrice");
    refused(new JsonObject().put("player", "x").put("ebayAvg", -1), "ebayAvg");
    refused(new JsonObject().put("player", "x").put("askingPrice", CardInput.MAX_CENTS + 1), "askingPrice");
    refused(new JsonObject().put("player", "x").put("year", 1799), "year");
    refused(new JsonObject().put("player", "x").put("gradingCompany", "P S A"), "gradingCompany");
    refused(new JsonObject().put("player", "x").put("backImageUrl", "javascript:alert(1)"), "backImageUrl");
    refused(new JsonObject().put("player", "x").put("compsRefreshedAt", "yesterday"), "compsRefreshedAt");
    refused(new JsonObject().put("player", "x").put("pullEligible", null), "pullEligible");
    refused(new JsonObject().put("player", "x").put("id", 5), "id");
    refused(new JsonObject().put("player", "x").put("version", 9), "version");
    refused(new JsonObject().put("player", "x").put("cardNumber", 5), "cardNumber");
  }

  @Test
  void patchesNeedAFieldAndCantClearThePlayer() {
    assertThatThrownBy(() -> CardInput.forPatch(new JsonObject())).isInstanceOf(InvalidField.class);
    assertThatThrownBy(() -> CardInput.forPatch(new JsonObject().putNull("player")))
        .isInstanceOfSatisfying(InvalidField.class, e -> assertThat(e.field()).isEqualTo("player"));
    assertThat(CardInput.forPatch(new JsonObject().putNull("askingPrice"))).containsEntry(CardField.ASKING_PRICE, null);
  }
}
