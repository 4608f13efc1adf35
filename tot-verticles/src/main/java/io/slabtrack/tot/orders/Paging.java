package io.slabtrack.tot.orders;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.ext.web.RoutingContext;

/** {@code limit} (1–100, default 50) and {@code offset} query parameters. */
final class Paging {
  private Paging() {
  }

  static long limit(RoutingContext ctx) {
    return number(ctx, "limit", 50, 1, 100);
  }

  static long offset(RoutingContext ctx) {
    return number(ctx, "offset", 0, 0, Integer.MAX_VALUE);
  }

  private static long number(RoutingContext ctx, String name, long dflt, long min, long max) {
    String v = ctx.queryParams().get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // same answer below
    }
    throw ApiErrors.invalidField(name, name + " must be an integer between " + min + " and " + max);
  }
}
