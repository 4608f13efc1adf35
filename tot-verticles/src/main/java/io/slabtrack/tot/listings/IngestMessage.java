package io.slabtrack.tot.listings;

import io.slabtrack.cluster.outbox.InboxRejection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** One publish / update / disengage body from core (EVENT-BUS.md), validated; malformed → permanent 400. */
record IngestMessage(String type, String listingKey, long version, String kind, long price, List<CardEntry> cards) {
  static final int MAX_LOT = 25;
  private static final Pattern KEY = Pattern.compile("(card|lot):[A-Za-z0-9_.:-]{1,120}");

  record CardEntry(long id, long version, long price, JsonObject snapshot) {
  }

  boolean disengage() {
    return type.equals("disengage");
  }

  static IngestMessage parse(JsonObject body) {
    String type = text(body, "type");
    if (!type.equals("publish") && !type.equals("update") && !type.equals("disengage")) {
      throw bad("type", "type must be publish, update or disengage");
    }
    String key = text(body, "listingKey");
    if (!KEY.matcher(key).matches()) {
      throw bad("listingKey", "listingKey must be card:<id> or lot:<lotKey>");
    }
    long version = number(body, "version");
    String kind = key.startsWith("lot:") ? "lot" : "single";
    if (type.equals("disengage")) {
      return new IngestMessage(type, key, version, kind, 0, List.of());
    }
    List<CardEntry> cards = new ArrayList<>();
    if (kind.equals("single")) {
      JsonObject card = object(body.getValue("card"), "card");
      long id = number(card, "id");
      if (!key.equals("card:" + id)) {
        throw bad("listingKey", "listingKey must be card:" + id + " for card " + id);
      }
      long price = nonNegative(body.getValue("price"), "price");
      cards.add(new CardEntry(id, version, price, card));
      return new IngestMessage(type, key, version, kind, price, cards);
    }
    Object raw = body.getValue("cards");
    if (!(raw instanceof JsonArray list) || list.size() < 2 || list.size() > MAX_LOT) {
      throw bad("cards", "a lot lists 2–" + MAX_LOT + " card snapshots");
    }
    long total = 0;
    for (int i = 0; i < list.size(); i++) {
      JsonObject card = object(list.getValue(i), "cards[" + i + "]");
      long price = nonNegative(card.getValue("price"), "cards[" + i + "].price");
      cards.add(new CardEntry(number(card, "id"), number(card, "version"), price, card));
      total += price;
    }
    if (cards.stream().map(CardEntry::id).distinct().count() != cards.size()) {
      throw bad("cards", "a lot lists each card once");
    }
    return new IngestMessage(type, key, version, kind, total, cards);
  }

  private static String text(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw bad(field, field + " is required");
    }
    return s;
  }

  private static long number(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0) {
      throw bad(field, field + " must be a non-negative integer");
    }
    return n.longValue();
  }

  private static long nonNegative(Object v, String field) {
    if (v == null) {
      return 0; // core sends null when neither a channel price nor an asking price is set: listed at $0 value
    }
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0) {
      throw bad(field, field + " must be a non-negative integer (cents)");
    }
    return n.longValue();
  }

  private static JsonObject object(Object v, String field) {
    if (!(v instanceof JsonObject o)) {
      throw bad(field, field + " must be an object");
    }
    return o;
  }

  private static InboxRejection bad(String field, String message) {
    return new InboxRejection(400, "invalid_field", field + ": " + message);
  }
}
