package io.slabtrack.core.cards;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates a card as the operator sends it (create, patch, one import row) and normalises it to column values.
 * The OpenAPI document checks shapes at the edge; this class holds the rules a schema can't say well (half-point
 * grades, URL schemes, the required player on create) and serves the import, where each row is judged alone.
 */
public final class CardInput {
  public static final long MAX_CENTS = 100_000_000_000L; // a billion dollars: anything above is a typo
  private static final int MAX_TEXT = 500;
  private static final Pattern GRADER = Pattern.compile("[A-Z0-9]{2,10}");
  /** The sports a card may name (the cards.sport check of V26). */
  public static final java.util.List<String> SPORTS =
      java.util.List.of("baseball", "basketball", "football", "hockey", "soccer", "other");

  private CardInput() {
  }

  /** A new card: player required; absent fields take their defaults. */
  public static Map<CardField, Object> forCreate(JsonObject body) {
    Map<CardField, Object> values = parse(body);
    if (values.get(CardField.PLAYER) == null) {
      throw new InvalidField("player", "player is required");
    }
    return values;
  }

  /** A patch: only the fields present change; explicit null clears a field (player can't be cleared). */
  public static Map<CardField, Object> forPatch(JsonObject body) {
    Map<CardField, Object> values = parse(body);
    if (values.isEmpty()) {
      throw new InvalidField("body", "a patch needs at least one field");
    }
    if (values.containsKey(CardField.PLAYER) && values.get(CardField.PLAYER) == null) {
      throw new InvalidField("player", "player can't be empty");
    }
    return values;
  }

  private static Map<CardField, Object> parse(JsonObject body) {
    if (body == null) {
      throw new InvalidField("body", "a JSON object is required");
    }
    Map<CardField, Object> values = new EnumMap<>(CardField.class);
    for (String name : body.fieldNames()) {
      CardField f = CardField.byJson(name);
      if (f == null) {
        throw new InvalidField(name, name + " is not a card field that can be set");
      }
      values.put(f, normalise(f, body.getValue(name)));
    }
    return values;
  }

  private static Object normalise(CardField f, Object raw) {
    if (raw == null) {
      if (f.kind == CardField.Kind.BOOL) {
        throw new InvalidField(f.json, f.json + " must be true or false");
      }
      return null;
    }
    return switch (f.kind) {
      case TEXT -> text(f, raw);
      case URL -> url(f, raw);
      case GRADER -> grader(f, raw);
      case SPORT -> sport(f, raw);
      case YEAR -> integer(f, raw, 1800, 2100);
      case COUNT -> integer(f, raw, 0, 1_000_000_000);
      case CENTS -> cents(f, raw);
      case GRADE -> grade(f, raw);
      case INSTANT -> instant(f, raw);
      case BOOL -> {
        if (!(raw instanceof Boolean b)) {
          throw new InvalidField(f.json, f.json + " must be true or false");
        }
        yield b;
      }
    };
  }

  private static String text(CardField f, Object raw) {
    if (!(raw instanceof String s)) {
      throw new InvalidField(f.json, f.json + " must be a string");
    }
    String t = s.strip();
    if (t.length() > MAX_TEXT) {
      throw new InvalidField(f.json, f.json + " is longer than " + MAX_TEXT + " characters");
    }
    return t.isEmpty() ? null : t;
  }

  private static String url(CardField f, Object raw) {
    String t = text(f, raw);
    if (t != null && !(t.startsWith("https://") || t.startsWith("http://"))) {
      throw new InvalidField(f.json, f.json + " must be an http(s) URL");
    }
    return t;
  }

  private static String grader(CardField f, Object raw) {
    String t = text(f, raw);
    if (t == null) {
      return null;
    }
    String upper = t.toUpperCase(java.util.Locale.ROOT);
    if (!GRADER.matcher(upper).matches()) {
      throw new InvalidField(f.json, f.json + " must be a grading company code such as PSA, BGS, SGC or CGC");
    }
    return upper;
  }

  private static String sport(CardField f, Object raw) {
    String t = text(f, raw);
    if (t == null) {
      return null;
    }
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    if (!SPORTS.contains(lower)) {
      throw new InvalidField(f.json, f.json + " must be one of " + SPORTS);
    }
    return lower;
  }

  private static long integer(CardField f, Object raw, long min, long max) {
    if (!(raw instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new InvalidField(f.json, f.json + " must be a whole number");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw new InvalidField(f.json, f.json + " must be between " + min + " and " + max);
    }
    return v;
  }

  private static long cents(CardField f, Object raw) {
    if (raw instanceof Number n && n.doubleValue() < 0) {
      throw new InvalidField(f.json, f.json + " can't be negative (cents)");
    }
    return integer(f, raw, 0, MAX_CENTS);
  }

  private static BigDecimal grade(CardField f, Object raw) {
    BigDecimal g;
    try {
      g = raw instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(raw.toString().strip());
    } catch (NumberFormatException e) {
      throw new InvalidField(f.json, f.json + " must be a number from 1 to 10");
    }
    if (g.compareTo(BigDecimal.ONE) < 0 || g.compareTo(BigDecimal.TEN) > 0
        || g.multiply(BigDecimal.valueOf(2)).stripTrailingZeros().scale() > 0) {
      throw new InvalidField(f.json, f.json + " must be from 1 to 10 in half points");
    }
    return g.stripTrailingZeros();
  }

  private static String instant(CardField f, Object raw) {
    try {
      return Instant.parse(raw.toString()).toString();
    } catch (DateTimeParseException e) {
      throw new InvalidField(f.json, f.json + " must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
    }
  }

  /** Column-keyed JSON for jsonb_to_record(set): the SQL casts each value with its column's type. */
  public static JsonObject toRecord(Map<CardField, Object> values) {
    JsonObject rec = new JsonObject();
    values.forEach((f, v) -> rec.put(f.column, v instanceof BigDecimal d ? d.toPlainString() : v));
    return rec;
  }
}
