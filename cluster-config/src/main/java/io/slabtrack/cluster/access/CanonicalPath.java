package io.slabtrack.cluster.access;

import io.slabtrack.cluster.http.ApiErrors;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses every spelling of a path but its canonical one, before any auth decision: a trailing slash, an empty
 * segment ({@code //}), a dot segment ({@code /.}, {@code /..}), a backslash, a {@code ;} parameter, and a
 * percent-escape of a character that must be written as itself (letters, digits, {@code -._~} and {@code /})
 * all answer 404. The router is lenient about exactly these (it matches {@code /api/cards/} and the normalized
 * {@code /api/cards/%2e} to {@code /api/cards}), so without this an access rule keyed on one spelling could be
 * walked around with another. With it, the path the router dispatches is byte for byte the path checked.
 *
 * <p>Hand-written because no library answers "is this the one spelling" (they normalize, which is the problem).
 */
public final class CanonicalPath implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    String raw = ctx.request().path();
    if (raw == null || !isCanonical(raw) || !raw.equals(ctx.normalizedPath())) {
      ctx.fail(ApiErrors.notFound("Route"));
      return;
    }
    ctx.next();
  }

  /** True for a path the router reads exactly as written. */
  public static boolean isCanonical(String path) {
    if (!path.startsWith("/")) {
      return false;
    }
    if (path.equals("/")) {
      return true;
    }
    if (path.endsWith("/") || path.contains("//") || path.indexOf('\\') >= 0 || path.indexOf(';') >= 0) {
      return false;
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length()) {
        return false;
      }
      int decoded;
      try {
        decoded = Integer.parseInt(path.substring(i + 1, i + 3), 16);
      } catch (NumberFormatException e) {
        return false;
      }
      if (mustBeLiteral((char) decoded)) {
        return false;
      }
    }
    return true;
  }

  /** RFC 3986 unreserved characters, '/', '%' and '\': escaping them only ever serves to hide a path. */
  private static boolean mustBeLiteral(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '\\' || c == '%' || c == ';';
  }
}
