package io.slabtrack.cluster.auth.handoff;

import io.slabtrack.cluster.http.ApiErrors;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a handoff may send the browser afterwards: a path on the same app, nothing else. Browsers read
 * {@code //host}, {@code /\host} and {@code \\host} as "another site", and some strip tabs and newlines before
 * parsing, so anything that is not a plain absolute path made of visible characters is refused outright rather
 * than cleaned up: an open redirect is a phishing tool, and a refused link costs nothing.
 */
public final class NextPath {
  public static final String DEFAULT = "/";
  static final int MAX_LENGTH = 2048;

  private NextPath() {
  }

  /** The path to redirect to ({@value #DEFAULT} when absent), or a 400 naming {@code next}. */
  public static String check(String raw) {
    if (raw == null || raw.isEmpty()) {
      return DEFAULT;
    }
    if (raw.length() > MAX_LENGTH || raw.charAt(0) != '/' || raw.startsWith("//")) {
      throw refused();
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= 0x20 || c == 0x7f || c == '\\' || c > 0x7e) {
        throw refused();
      }
    }
    try {
      URI uri = new URI(raw);
      if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawPath() == null
          || !uri.getRawPath().startsWith("/")) {
        throw refused();
      }
    } catch (URISyntaxException e) {
      throw refused();
    }
    return raw;
  }

  private static RuntimeException refused() {
    return ApiErrors.invalidField("next", "next must be a path on this site, starting with a single /");
  }
}
