package io.slabtrack.cluster.validation;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.MultiMap;

/**
 * The one limit/offset rule of every app's paged lists (ToT's listings and admin lists, Storefront's cards and
 * orders, core's cards): {@code limit} 1–{@value #MAX_LIMIT}, {@code offset} 0–{@value #MAX_OFFSET}, both integers;
 * a list picks only its default page size. The OpenAPI documents state the same bounds, so the API's validator and
 * this parser (which the pages use too) refuse the same values.
 */
public record Paging(int limit, int offset) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 200;
  public static final int MAX_OFFSET = 1_000_000;

  /** Paging with the default page size. */
  public static Paging of(MultiMap query) {
    return of(query, DEFAULT_LIMIT);
  }

  /** Paging from {@code limit} and {@code offset} in the query (blank = the default); 400 naming the bad one. */
  public static Paging of(MultiMap query, int defaultLimit) {
    return new Paging(number(query.get("limit"), "limit", defaultLimit, 1, MAX_LIMIT),
        number(query.get("offset"), "offset", 0, 0, MAX_OFFSET));
  }

  /** {@code limit} alone (lists paged by a cursor rather than an offset). */
  public static int limit(String raw, int defaultLimit) {
    return number(raw, "limit", defaultLimit, 1, MAX_LIMIT);
  }

  private static int number(String raw, String name, int fallback, int min, int max) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(raw.strip());
      if (n >= min && n <= max) {
        return (int) n;
      }
    } catch (NumberFormatException e) {
      // same answer below
    }
    throw ApiErrors.invalidField(name, name + " must be an integer between " + min + " and " + max);
  }
}
