package io.slabtrack.storefront.pages;

import io.slabtrack.cluster.http.ApiException;
import io.slabtrack.storefront.orders.CheckoutRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkout form's fields, checked by the API's own {@link CheckoutRequest#parse} so the page and
 * {@code POST /api/storefronts/{slug}/checkout} can never disagree. The API stops at the first bad field; to show
 * every error beside its field at once, the form re-runs the same parse with each field already reported set
 * aside (given a valid stand-in), until it passes.
 *
 * <p>{@code key} is a random value put in the form when it is shown: a double submit sends the same key and gets
 * the same order (the API's Idempotency-Key).
 */
record CheckoutForm(Map<String, String> values, String key) {
  static final List<String> ADDRESS = List.of("name", "line1", "line2", "city", "state", "postalCode", "country",
      "phone");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, Object> STAND_INS = Map.of("email", "stand-in@example.com", "country", "US");

  static CheckoutForm of(MultiMap form) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String field : fields()) {
      String v = form.get(field);
      values.put(field, v == null ? "" : v.strip());
    }
    String key = form.get("key");
    return new CheckoutForm(values, key != null && key.matches("^[A-Za-z0-9_-]{16,64}$") ? key : newKey());
  }

  static String newKey() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The API body for these cards: blank optional fields are left out, as a person means them. */
  JsonObject body(List<Long> cardIds) {
    JsonObject address = new JsonObject();
    for (String field : ADDRESS) {
      String v = values.get(field);
      if (!v.isEmpty()) {
        address.put(field, v);
      }
    }
    return new JsonObject().put("cardIds", new JsonArray(List.copyOf(cardIds))).put("email", values.get("email"))
        .put("shippingAddress", address);
  }

  CheckoutRequest request(List<Long> cardIds) {
    return CheckoutRequest.parse(body(cardIds));
  }

  /** Form field → message, empty when the API would take it; {@code form} for what no field can fix. */
  Map<String, String> errors(List<Long> cardIds) {
    JsonObject probe = body(cardIds);
    Map<String, String> errors = new LinkedHashMap<>();
    for (int i = 0; i <= fields().size(); i++) {
      try {
        CheckoutRequest.parse(probe);
        return errors;
      } catch (ApiException e) {
        String apiField = e.details() == null ? null : e.details().getString("field");
        String field = apiField == null ? null : apiField.replace("shippingAddress.", "");
        if (field == null || !values.containsKey(field) || errors.containsKey(field)) {
          errors.put("form", e.getMessage());
          return errors;
        }
        errors.put(field, message(e.getMessage()));
        Object standIn = STAND_INS.getOrDefault(field, "x");
        if (field.equals("email")) {
          probe.put("email", standIn);
        } else {
          probe.getJsonObject("shippingAddress").put(field, standIn);
        }
      }
    }
    return errors;
  }

  private static String message(String api) {
    return api.endsWith(" is required") || api.endsWith(" must not be blank") ? "Please fill this in." : api;
  }

  private static List<String> fields() {
    return List.of("email", "name", "line1", "line2", "city", "state", "postalCode", "country", "phone");
  }
}
