package io.slabtrack.core.strategist;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored proposal as the API shows it: its document (config, cards with scores, lots) plus id, status, times and a
 * per-pool summary {count, value, singles, lots} computed from the cards, so the summary can never disagree with them.
 */
public final class ProposalView {
  private ProposalView() {
  }

  public static JsonObject of(String id, String status, String createdAt, String committedAt, JsonObject doc) {
    Map<String, JsonObject> pools = new LinkedHashMap<>();
    for (Pool p : Pool.values()) {
      pools.put(p.slug(), new JsonObject().put("count", 0).put("value", 0L).put("singles", new JsonArray())
          .put("lots", new JsonArray()));
    }
    for (Object o : doc.getJsonArray("cards")) {
      JsonObject c = (JsonObject) o;
      JsonObject p = pools.get(c.getString("pool"));
      p.put("count", p.getInteger("count") + 1).put("value", p.getLong("value") + c.getLong("value"));
      if (c.getString("lot") == null) {
        p.getJsonArray("singles").add(c.getLong("cardId"));
      }
    }
    for (Object o : doc.getJsonArray("lots")) {
      JsonObject l = (JsonObject) o;
      pools.get(l.getString("pool")).getJsonArray("lots").add(l.getString("id"));
    }
    JsonObject summary = new JsonObject();
    pools.forEach(summary::put);
    JsonObject out = new JsonObject().put("id", id).put("status", status).put("createdAt", createdAt)
        .put("committedAt", committedAt);
    doc.forEach(e -> {
      if (!"nextLot".equals(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    });
    return out.put("pools", summary);
  }
}
