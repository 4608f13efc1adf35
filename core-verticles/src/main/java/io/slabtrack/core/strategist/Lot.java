package io.slabtrack.core.strategist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A proposed lot: its pool, kind, label ("Dallas"), theme/team chips, cards and their total comp value (cents). */
public record Lot(String id, Pool pool, LotKind kind, String label, List<String> chips, List<Long> cardIds,
                  long totalValue) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("pool", pool.slug()).put("kind", kind.wire()).put("label", label)
        .put("chips", new JsonArray(chips)).put("cardIds", new JsonArray(cardIds)).put("count", cardIds.size())
        .put("totalValue", totalValue);
  }
}
