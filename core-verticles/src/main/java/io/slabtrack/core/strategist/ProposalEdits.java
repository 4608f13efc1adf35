package io.slabtrack.core.strategist;

import io.slabtrack.cluster.http.ApiErrors;
import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.core.channels.Engagements;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's edits of an open proposal ({@code PATCH}): {@code shop}, and {@code changes}, each naming a card
 * of the proposal and one of: {@code pool} (a single in that pool; {@code personal} = not committed), {@code lot}
 * (join that lot and its pool), {@code drop: true} (leave the proposal: stays personal); {@code price} (cents) may
 * come alone or with a move. All changes are checked before any applies: one bad change and nothing changes. A lot
 * left with one card is dissolved and that card becomes a single of the lot's pool.
 */
public final class ProposalEdits {
  private static final long SOLO_FLIP_FLOOR = 1_500;

  private ProposalEdits() {
  }

  /** @return the edited copy of {@code doc} */
  public static JsonObject apply(JsonObject doc, JsonObject patch) {
    JsonObject out = doc.copy();
    Map<Long, JsonObject> cards = new HashMap<>();
    out.getJsonArray("cards").forEach(o -> cards.put(((JsonObject) o).getLong("cardId"), (JsonObject) o));
    Map<String, JsonObject> lots = new HashMap<>();
    out.getJsonArray("lots").forEach(o -> lots.put(((JsonObject) o).getString("id"), (JsonObject) o));
    JsonArray changes = patch.getJsonArray("changes", new JsonArray());
    for (int i = 0; i < changes.size(); i++) {
      JsonObject ch = changes.getJsonObject(i);
      String at = "changes[" + i + "].";
      JsonObject card = cards.get(ch.getLong("cardId"));
      if (card == null) {
        throw unprocessable("card_not_in_proposal", "Card " + ch.getLong("cardId") + " is not in this proposal",
            at + "cardId");
      }
      int moves = (ch.containsKey("pool") ? 1 : 0) + (ch.containsKey("lot") ? 1 : 0)
          + (ch.getBoolean("drop", false) ? 1 : 0);
      if (moves > 1) {
        throw ApiErrors.invalidField(at + "pool", "a change moves a card to one pool, one lot, or drops it");
      }
      if (moves == 0 && !ch.containsKey("price")) {
        throw ApiErrors.invalidField(at + "cardId", "a change needs pool, lot, drop or price");
      }
      if (ch.containsKey("lot")) {
        JsonObject lot = lots.get(ch.getString("lot"));
        if (lot == null) {
          throw unprocessable("unknown_lot", "No lot " + ch.getString("lot") + " in this proposal", at + "lot");
        }
        List<Long> ids = ids(lot);
        if (!ids.contains(card.getLong("cardId")) && ids.size() >= Engagements.MAX_LOT) {
          throw unprocessable("lot_full", "Lot " + lot.getString("id") + " already holds " + Engagements.MAX_LOT
              + " cards", at + "lot");
        }
      }
      apply(card, ch, lots);
    }
    if (patch.containsKey("shop")) {
      out.put("shop", patch.getString("shop"));
    }
    settleLots(out, cards);
    return out;
  }

  private static void apply(JsonObject card, JsonObject ch, Map<String, JsonObject> lots) {
    long id = card.getLong("cardId");
    if (ch.containsKey("price")) {
      card.put("price", ch.getLong("price"));
    }
    String pool = ch.getBoolean("drop", false) ? Pool.PERSONAL.slug() : ch.getString("pool");
    String lot = ch.getString("lot");
    if (pool == null && lot == null) {
      return;
    }
    String old = card.getString("lot");
    if (old != null) {
      removeId(lots.get(old).getJsonArray("cardIds"), id);
    }
    if (lot != null) {
      JsonObject target = lots.get(lot);
      removeId(target.getJsonArray("cardIds"), id);
      target.getJsonArray("cardIds").add(id);
      card.put("pool", target.getString("pool")).put("lot", lot).put("pullOnly", false)
          .put("reason", "moved into lot " + lot + " by the operator");
    } else {
      boolean tot = Pool.THISORTHAT.slug().equals(pool);
      card.put("pool", pool).putNull("lot").put("pullOnly", tot && card.getLong("value") < SOLO_FLIP_FLOOR)
          .put("reason", ch.getBoolean("drop", false) ? "dropped by the operator" : "moved to " + pool + " by the operator");
    }
  }

  /** Recounts every lot; a lot left with fewer than two cards is dissolved into singles. */
  private static void settleLots(JsonObject doc, Map<Long, JsonObject> cards) {
    JsonArray kept = new JsonArray();
    for (Object o : doc.getJsonArray("lots")) {
      JsonObject lot = (JsonObject) o;
      List<Long> ids = ids(lot);
      if (ids.size() < Engagements.MIN_LOT) {
        ids.forEach(id -> {
          JsonObject c = cards.get(id);
          boolean tot = Pool.THISORTHAT.slug().equals(c.getString("pool"));
          c.putNull("lot").put("pullOnly", tot && c.getLong("value") < SOLO_FLIP_FLOOR)
              .put("reason", "its lot " + lot.getString("id") + " was dissolved");
        });
        continue;
      }
      lot.put("count", ids.size()).put("totalValue", ids.stream().mapToLong(id -> cards.get(id).getLong("value")).sum());
      kept.add(lot);
    }
    doc.put("lots", kept);
  }

  /** Ids read back from jsonb may be Integers: compare as numbers. */
  private static void removeId(JsonArray ids, long id) {
    for (int i = ids.size() - 1; i >= 0; i--) {
      if (((Number) ids.getValue(i)).longValue() == id) {
        ids.remove(i);
      }
    }
  }

  static List<Long> ids(JsonObject lot) {
    List<Long> out = new ArrayList<>();
    lot.getJsonArray("cardIds").forEach(v -> out.add(((Number) v).longValue()));
    return out;
  }

  private static ApiException unprocessable(String code, String message, String field) {
    return new ApiException(422, code, message, new JsonObject().put("field", field));
  }
}
