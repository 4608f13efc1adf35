package io.slabtrack.cluster.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** The links pages build: a query string that keeps a page's filters, and the "back to" paths a form may name. */
public final class Links {
  private Links() {
  }

  /** {@code ?k=v&…} of the non-null values, in order, encoded; empty when there are none. */
  public static String query(Map<String, String> params) {
    StringJoiner query = new StringJoiner("&");
    params.forEach((k, v) -> {
      if (v != null) {
        query.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    });
    return query.length() == 0 ? "" : "?" + query;
  }

  /**
   * Whether {@code path} is a path of this site a form may send the browser back to (no open redirect): it starts
   * with one {@code /}, has no backslash, only printable ASCII, and is not absurdly long.
   */
  public static boolean localPath(String path) {
    if (path == null || !path.startsWith("/") || path.contains("//") || path.contains("\\") || path.length() > 2000) {
      return false;
    }
    for (char c : path.toCharArray()) {
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }
}
