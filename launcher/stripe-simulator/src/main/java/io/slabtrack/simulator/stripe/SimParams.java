package io.slabtrack.simulator.stripe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Typed reads of form parameters with Stripe's error answers for missing or malformed values. */
final class SimParams {
  private SimParams() {
  }

  static String string(JsonObject p, String name, boolean required) {
    Object v = p.getValue(name);
    if (v == null || (v instanceof String s && s.isEmpty())) {
      if (required) {
        throw SimError.missing(name);
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw SimError.invalid("parameter_invalid_string", "Invalid string: " + name, name);
    }
    return s;
  }

  static Long amount(JsonObject p, String name, boolean required) {
    String raw = string(p, name, required);
    if (raw == null) {
      return null;
    }
    try {
      long v = Long.parseLong(raw);
      if (v < 0) {
        throw SimError.invalid("parameter_invalid_integer", "This value must be greater than or equal to 0.", name);
      }
      return v;
    } catch (NumberFormatException e) {
      throw SimError.invalid("parameter_invalid_integer", "Invalid integer: " + raw, name);
    }
  }

  static boolean bool(JsonObject p, String name) {
    String raw = string(p, name, false);
    return "true".equals(raw);
  }

  static JsonObject object(JsonObject p, String name) {
    Object v = p.getValue(name);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject o)) {
      throw SimError.invalid("parameter_invalid_object", "Invalid object: " + name, name);
    }
    return o;
  }

  /** Metadata values are strings of at most 500 chars under at most 50 keys, as on Stripe. */
  static JsonObject metadata(JsonObject p, String name) {
    JsonObject m = object(p, name);
    if (m.size() > 50) {
      throw SimError.invalid("parameter_invalid_object", "Metadata can have at most 50 keys.", name);
    }
    for (String k : m.fieldNames()) {
      if (!(m.getValue(k) instanceof String s) || s.length() > 500) {
        throw SimError.invalid("parameter_invalid_string", "Metadata values must be strings of at most 500 "
            + "characters.", name + "[" + k + "]");
      }
    }
    return m.copy();
  }

  static JsonArray expand(JsonObject p) {
    Object v = p.getValue("expand");
    if (v instanceof JsonArray a) {
      return a;
    }
    return v instanceof String s ? new JsonArray().add(s) : new JsonArray();
  }

  static String currency(JsonObject p, String name, boolean required) {
    String c = string(p, name, required);
    if (c != null && !c.matches("[a-zA-Z]{3}")) {
      throw SimError.invalid("parameter_invalid_string", "Invalid currency: " + c, name);
    }
    return c == null ? null : c.toLowerCase();
  }
}
