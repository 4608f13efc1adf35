package io.slabtrack.tot.plays;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code {listingIds, email, shippingAddress}}, checked for shape only (400); game rules are {@link PlayRules}. */
public record PlayRequest(List<Long> listingIds, String email, JsonObject shippingAddress) {
  static final int MAX_LISTINGS = 25;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]{2,}");
  private static final List<String> ADDRESS_FIELDS = List.of("name", "line1", "city", "postalCode", "country");

  public static PlayRequest parse(JsonObject body) {
    Object ids = body.getValue("listingIds");
    if (!(ids instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_LISTINGS) {
      throw ApiErrors.invalidField("listingIds", "listingIds must be an array of 1–" + MAX_LISTINGS + " listing ids");
    }
    List<Long> listingIds = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (Object v : list) {
      if (!(v instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() <= 0) {
        throw ApiErrors.invalidField("listingIds", "listing ids are positive integers");
      }
      if (!seen.add(n.longValue())) {
        throw ApiErrors.invalidField("listingIds", "listing " + n + " appears twice: each option counts once");
      }
      listingIds.add(n.longValue());
    }
    Object email = body.getValue("email");
    if (!(email instanceof String e) || !EMAIL.matcher(e.trim()).matches()) {
      throw ApiErrors.invalidField("email", "a valid email is required for the receipt");
    }
    Object address = body.getValue("shippingAddress");
    if (!(address instanceof JsonObject a)) {
      throw ApiErrors.invalidField("shippingAddress", "shippingAddress is required");
    }
    for (String f : ADDRESS_FIELDS) {
      if (!(a.getValue(f) instanceof String s) || s.isBlank() || s.length() > 200) {
        throw ApiErrors.invalidField("shippingAddress." + f, "shippingAddress." + f + " is required (≤ 200 chars)");
      }
    }
    return new PlayRequest(List.copyOf(listingIds), ((String) email).trim(), a.copy());
  }

  JsonObject toJson() {
    return new JsonObject().put("listingIds", new JsonArray(listingIds.stream().sorted().toList()))
        .put("email", email).put("shippingAddress", shippingAddress);
  }
}
