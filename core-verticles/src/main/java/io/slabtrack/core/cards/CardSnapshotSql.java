package io.slabtrack.core.cards;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@link CardJson#snapshot} of a {@code cards_priced} row, built by PostgreSQL as {@code jsonb}: a publish of thousands
 * of cards then builds, encodes and parses no card in the JVM (it was seconds of blocked event loop). The same fields
 * and the same JSON values as the Java snapshot — instants as {@link java.time.Instant#toString()} writes them, the
 * grade as a double — which {@code CardSnapshotSqlTest} checks against {@link CardJson} row for row.
 */
public final class CardSnapshotSql {
  private CardSnapshotSql() {
  }

  /** The snapshot of the {@code cards_priced} row aliased {@code alias}, a {@code jsonb} expression. */
  public static String of(String alias) {
    List<String> pairs = new ArrayList<>();
    pairs.add(pair("id", alias + ".id"));
    for (CardField f : CardField.values()) {
      if (!CardJson.SNAPSHOT_OMITS.contains(f.json)) {
        pairs.add(pair(f.json, value(alias + "." + f.column, f.kind)));
      }
    }
    pairs.add(pair("listingStatus", alias + ".listing_status"));
    pairs.add(pair("version", alias + ".version"));
    pairs.add(pair("compValue", alias + ".comp_value"));
    pairs.add(pair("compSource", alias + ".comp_source"));
    pairs.add(pair("createdAt", instant(alias + ".created_at")));
    pairs.add(pair("updatedAt", instant(alias + ".updated_at")));
    // jsonb_build_object takes at most 100 arguments: a few calls joined
    List<String> parts = new ArrayList<>();
    for (int from = 0; from < pairs.size(); from += 40) {
      parts.add("jsonb_build_object(" + String.join(", ", pairs.subList(from, Math.min(pairs.size(), from + 40)))
          + ")");
    }
    return parts.stream().collect(Collectors.joining(" || ", "(", ")"));
  }

  private static String pair(String key, String value) {
    return "'" + key + "', " + value;
  }

  private static String value(String column, CardField.Kind kind) {
    return switch (kind) {
      case INSTANT -> instant(column);
      // a double in Java: 10 is written 10.0, and jsonb keeps the written scale
      case GRADE -> "(CASE WHEN " + column + " IS NULL THEN NULL WHEN " + column + " = trunc(" + column + ") THEN (trunc("
          + column + ")::bigint::text || '.0')::jsonb ELSE (" + column + "::float8)::text::jsonb END)";
      default -> column;
    };
  }

  /** As {@link java.time.Instant#toString()}: UTC, and the fraction in 0, 3 or 6 digits, whichever is exact. */
  static String instant(String column) {
    String us = "(extract(microseconds FROM " + column + " AT TIME ZONE 'UTC')::bigint % 1000000)";
    return "(to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN " + us + " = 0 THEN ''"
        + " WHEN " + us + " % 1000 = 0 THEN '.' || lpad((" + us + " / 1000)::text, 3, '0')"
        + " ELSE '.' || lpad(" + us + "::text, 6, '0') END || 'Z')";
  }
}
