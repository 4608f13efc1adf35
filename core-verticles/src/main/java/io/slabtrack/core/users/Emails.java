package io.slabtrack.core.users;

import io.slabtrack.cluster.http.ApiErrors;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one spelling of an address: trimmed and lowercased, so "Ann@Example.com" and "ann@example.com" are the
 * same account, the same login code and the same rate-limit bucket.
 */
public final class Emails {
  public static final int MAX_LENGTH = 254;
  // deliberately loose: one @, something on each side, a dot in the domain, no spaces or control characters
  private static final Pattern SHAPE = Pattern.compile("[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+");

  private Emails() {
  }

  /** The normalized address, or a 400 naming {@code field}. */
  public static String normalize(Object raw, String field) {
    if (!(raw instanceof String s)) {
      throw ApiErrors.invalidField(field, field + " must be an email address");
    }
    String email = s.trim().toLowerCase(Locale.ROOT);
    if (email.length() < 3 || email.length() > MAX_LENGTH || !SHAPE.matcher(email).matches()) {
      throw ApiErrors.invalidField(field, field + " must be an email address");
    }
    return email;
  }
}
