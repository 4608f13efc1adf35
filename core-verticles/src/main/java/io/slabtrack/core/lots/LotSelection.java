package io.slabtrack.core.lots;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Lot Builder's commit guard: the chosen lots must exist in the proposal and no card may sit in two of them
 * (the builder never proposes that, but a card in two lots would be published twice, so the commit checks anyway).
 */
public final class LotSelection {
  private LotSelection() {
  }

  /** @return the chosen lots' ids; 422 naming the unknown lot or listing every card found in two lots */
  public static Set<String> check(JsonObject doc, List<String> chosen) {
    Map<String, JsonObject> lots = new LinkedHashMap<>();
    doc.getJsonArray("lots").forEach(o -> lots.put(((JsonObject) o).getString("id"), (JsonObject) o));
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < chosen.size(); i++) {
      String id = chosen.get(i);
      if (!lots.containsKey(id)) {
        throw new ApiException(422, "unknown_lot", "No lot " + id + " in this proposal",
            new JsonObject().put("field", "lots[" + i + "]"));
      }
      if (!ids.add(id)) {
        throw ApiErrors.invalidField("lots[" + i + "]", "lot " + id + " is chosen twice");
      }
    }
    Map<Long, List<String>> where = new LinkedHashMap<>();
    for (String id : ids) {
      lots.get(id).getJsonArray("cardIds")
          .forEach(c -> where.computeIfAbsent(((Number) c).longValue(), k -> new ArrayList<>()).add(id));
    }
    JsonArray conflicts = new JsonArray();
    where.forEach((card, in) -> {
      if (in.size() > 1) {
        conflicts.add(new JsonObject().put("cardId", card).put("channel", "thisorthat").put("reason", "in_two_lots")
            .put("lots", new JsonArray(in)));
      }
    });
    if (!conflicts.isEmpty()) {
      throw new ApiException(422, "card_in_two_lots", conflicts.size() + " card(s) sit in two chosen lots",
          new JsonObject().put("conflicts", conflicts));
    }
    return ids;
  }
}
