package io.slabtrack.cluster.web;

import io.slabtrack.cluster.http.ApiException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The buyer's email and shipping address as every app's checkout form takes them (template
 * {@code shipping-fields.jte}), checked by the app API's own request parser so a page and its API can never
 * disagree. An API stops at the first bad field; to show every error beside its field at once, the form re-runs
 * the same parse with each field already reported set aside (given a valid stand-in), until it passes.
 *
 * <p>{@code key} is a random value put in the form when it is shown: a double submit sends the same key and gets
 * the same order or play (the API's Idempotency-Key).
 */
public record ShippingForm(Map<String, String> values, String key) {
  public static final List<String> ADDRESS = io.slabtrack.cluster.validation.PostalAddress.FIELDS;
  private static final List<String> FIELDS = List.of("email", "name", "line1", "line2", "city", "state", "postalCode",
      "country", "phone");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, Object> STAND_INS = Map.of("email", "stand-in@example.com", "country", "US");

  public static ShippingForm of(MultiMap form) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String field : FIELDS) {
      String v = form.get(field);
      values.put(field, v == null ? "" : v.strip());
    }
    String key = form.get("key");
    return new ShippingForm(values, key != null && key.matches("^[A-Za-z0-9_-]{16,64}$") ? key : newKey());
  }

  public static String newKey() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** {@code {email, shippingAddress}} for the API body: blank optional fields are left out, as a person means them. */
  public JsonObject body() {
    JsonObject address = new JsonObject();
    for (String field : ADDRESS) {
      String v = values.get(field);
      if (!v.isEmpty()) {
        address.put(field, v);
      }
    }
    return new JsonObject().put("email", values.get("email")).put("shippingAddress", address);
  }

  /**
   * Form field → message, empty when {@code parse} (the API's parser, throwing its 400) takes {@code body}, this
   * form's {@link #body()} plus what the page adds (card or listing ids); {@code form} for what no field can fix.
   */
  public Map<String, String> errors(JsonObject body, Consumer<JsonObject> parse) {
    JsonObject probe = body.copy();
    Map<String, String> errors = new LinkedHashMap<>();
    for (int i = 0; i <= FIELDS.size(); i++) {
      try {
        parse.accept(probe);
        return errors;
      } catch (ApiException e) {
        String apiField = e.details() == null ? null : e.details().getString("field");
        String field = apiField == null ? null : apiField.replace("shippingAddress.", "");
        if (field == null || !values.containsKey(field) || errors.containsKey(field)) {
          errors.put("form", e.getMessage());
          return errors;
        }
        // a blank field is simply missing, whatever words the API uses for it
        errors.put(field, values.get(field).isEmpty() ? "Please fill this in." : e.getMessage());
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

  /** What {@code shipping-fields.jte} shows: these values and the errors beside their fields. */
  public Fields fields(Map<String, String> errors) {
    return new Fields(values, errors);
  }

  /** A blank form (country prefilled). */
  public static Fields blank() {
    return new Fields(Map.of("country", "US"), Map.of());
  }

  public record Fields(Map<String, String> values, Map<String, String> errors) {
    public Fields {
      values = Map.copyOf(values);
      errors = Map.copyOf(errors);
    }

    public String value(String field) {
      return values.getOrDefault(field, "");
    }

    public String error(String field) {
      return errors.get(field);
    }

    public String fieldClass(String field) {
      return errors.containsKey(field) ? "field invalid" : "field";
    }
  }
}
