package io.slabtrack.core.cards;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** A card row (from {@link CardSql#SELECT_CARD}) as the JSON every API and publish payload shows. */
public final class CardJson {
  private CardJson() {
  }

  public static JsonObject of(Row row) {
    JsonObject card = new JsonObject()
        .put("id", row.getLong("id"))
        .put("ownerId", row.getString("owner_id"));
    for (CardField f : CardField.values()) {
      card.put(f.json, value(row, f));
    }
    card.put("listingStatus", row.getString("listing_status"))
        .put("version", row.getLong("version"))
        .put("compValue", row.getLong("comp_value"))
        .put("compSource", row.getString("comp_source"))
        .put("auditFlags", new JsonArray(java.util.List.of(row.getArrayOfStrings("audit_flags"))))
        .put("noComp", row.getBoolean("no_comp"))
        .put("noCompAt", instant(row.getOffsetDateTime("no_comp_at")))
        .put("createdAt", instant(row.getOffsetDateTime("created_at")))
        .put("updatedAt", instant(row.getOffsetDateTime("updated_at")));
    if (row.getString("sold_channel") != null) {
      card.put("sold", new JsonObject()
          .put("channel", row.getString("sold_channel"))
          .put("orderRef", row.getString("sold_order_ref"))
          .put("priceCents", row.getLong("sold_price_cents"))
          .put("claimId", row.getString("sold_claim_id"))
          .put("at", instant(row.getOffsetDateTime("sold_at"))));
    } else {
      card.putNull("sold");
    }
    Object channels = row.getValue("channels");
    card.put("channels", channels instanceof JsonArray a ? a : new JsonArray());
    return card;
  }

  /** What satellites get: the card as buyers may see it (no owner, consignor, cost or channel rows). */
  public static JsonObject snapshot(JsonObject card) {
    JsonObject s = card.copy();
    SNAPSHOT_OMITS.forEach(s::remove);
    return s;
  }

  /** The fields of {@link #of} a snapshot leaves out ({@link CardSnapshotSql} builds the same snapshot in SQL). */
  static final java.util.Set<String> SNAPSHOT_OMITS = java.util.Set.of("ownerId", "consignor", "channels", "sold",
      "auditFlags", "noComp", "noCompAt", "isKeeper");

  private static Object value(Row row, CardField f) {
    return switch (f.kind) {
      case TEXT, URL, GRADER, SPORT -> row.getString(f.column);
      case YEAR, COUNT -> row.getInteger(f.column);
      case CENTS -> row.getLong(f.column);
      case GRADE -> row.getValue(f.column) == null ? null : row.getNumeric(f.column).doubleValue();
      case INSTANT -> instant(row.getOffsetDateTime(f.column));
      case BOOL -> row.getBoolean(f.column);
    };
  }

  private static String instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
