package io.slabtrack.cluster.validation;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one postal-address rule of every app (a buyer's shipping address at ToT and Storefront, a shop's ship-from):
 * {@code name, line1, city, postalCode, country} required, {@code line2, state, phone} optional, each text of at most
 * 200 characters and not blank, {@code country} an ISO 3166 alpha-2 code (kept uppercase), no other field. Every
 * refusal is a 400 naming {@code <field>.<part>}, which the pages' shipping form shows beside its own field.
 */
public final class PostalAddress {
  public static final List<String> FIELDS = List.of("name", "line1", "line2", "city", "state", "postalCode",
      "country", "phone");
  public static final List<String> REQUIRED = List.of("name", "line1", "city", "postalCode", "country");
  public static final int MAX_LENGTH = 200;
  private static final Set<String> KNOWN = Set.copyOf(FIELDS);

  private PostalAddress() {
  }

  /** The address, trimmed, only the known parts, country uppercase; or a 400 naming the first bad part. */
  public static JsonObject parse(Object value, String field) {
    if (!(value instanceof JsonObject in)) {
      throw value == null ? ApiErrors.invalidField(field, field + " is required")
          : ApiErrors.invalidField(field, field + " must be an address object");
    }
    for (String key : in.fieldNames()) {
      if (!KNOWN.contains(key)) {
        throw ApiErrors.invalidField(field + "." + key, "unknown field " + field + "." + key);
      }
    }
    JsonObject out = new JsonObject();
    for (String key : FIELDS) {
      Object v = in.getValue(key);
      if (v == null) {
        if (REQUIRED.contains(key)) {
          throw ApiErrors.invalidField(field + "." + key, key + " is required");
        }
        continue;
      }
      if (!(v instanceof String s) || s.length() > MAX_LENGTH) {
        throw ApiErrors.invalidField(field + "." + key, key + " must be text of at most " + MAX_LENGTH + " characters");
      }
      if (s.isBlank()) {
        throw ApiErrors.invalidField(field + "." + key, key + " must not be blank");
      }
      out.put(key, s.strip());
    }
    String country = out.getString("country");
    if (!country.matches("[A-Za-z]{2}")) {
      throw ApiErrors.invalidField(field + ".country", "country must be a two-letter code like US");
    }
    return out.put("country", country.toUpperCase(Locale.ROOT));
  }
}
