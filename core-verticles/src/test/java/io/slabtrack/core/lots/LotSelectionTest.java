package io.slabtrack.core.lots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Lot Builder's commit guard: chosen lots exist, are chosen once, and share no card. */
class LotSelectionTest {
  private static JsonObject doc(JsonArray... lots) {
    JsonArray all = new JsonArray();
    for (int i = 0; i < lots.length; i++) {
      all.add(new JsonObject().put("id", "L" + (i + 1)).put("pool", "thisorthat").put("cardIds", lots[i]));
    }
    return new JsonObject().put("lots", all).put("cards", new JsonArray());
  }

  @Test
  void disjointLotsPass() {
    JsonObject doc = doc(new JsonArray().add(1).add(2).add(3), new JsonArray().add(4).add(5), new JsonArray().add(6));
    assertThat(LotSelection.check(doc, List.of("L3", "L1"))).containsExactly("L3", "L1");
  }

  @Test
  void aCardInTwoChosenLotsIsRefusedNamingItsLots() {
    // ids as jsonb gives them back (Integer) and as Java builds them (Long) must compare equal
    JsonObject doc = doc(new JsonArray().add(1).add(2).add(3), new JsonArray().add(3L).add(4L).add(5L),
        new JsonArray().add(5).add(6));
    assertThatThrownBy(() -> LotSelection.check(doc, List.of("L1", "L2", "L3")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.code()).isEqualTo("card_in_two_lots");
          JsonArray conflicts = e.details().getJsonArray("conflicts");
          assertThat(conflicts).hasSize(2);
          assertThat(conflicts.getJsonObject(0).getLong("cardId")).isEqualTo(3);
          assertThat(conflicts.getJsonObject(0).getJsonArray("lots")).containsExactly("L1", "L2");
          assertThat(conflicts.getJsonObject(1).getLong("cardId")).isEqualTo(5);
        });
    // the same lots chosen apart are fine
    assertThat(LotSelection.check(doc, List.of("L1", "L3"))).hasSize(2);
  }

  @Test
  void unknownOrRepeatedLotsAreRefused() {
    JsonObject doc = doc(new JsonArray().add(1).add(2));
    assertThatThrownBy(() -> LotSelection.check(doc, List.of("L1", "L7"))).isInstanceOfSatisfying(ApiException.class,
        e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.details().getString("field")).isEqualTo("lots[1]");
        });
    assertThatThrownBy(() -> LotSelection.check(doc, List.of("L1", "L1"))).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.status()).isEqualTo(400));
  }
}
