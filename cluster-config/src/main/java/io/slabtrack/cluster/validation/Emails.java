package io.slabtrack.cluster.validation;

import io.slabtrack.cluster.http.ApiErrors;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one email rule of every app (core's login and users, ToT's plays, Storefront's checkout and shop notices, and
 * the pages' forms that feed them): one @, 1–64 characters before it, a dot in the domain and at least two after
 * the last one, no spaces or control characters, 254 characters at most. Deliberately loose beyond that: the mail
 * itself is the real check.
 */
public final class Emails {
  public static final int MAX_LENGTH = 254;
  private static final Pattern SHAPE =
      Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]{2,}");

  private Emails() {
  }

  /** The address as given (surrounding blanks trimmed), or a 400 naming {@code field}. */
  public static String address(Object raw, String field) {
    if (raw instanceof String s) {
      String email = s.strip();
      if (email.length() <= MAX_LENGTH && SHAPE.matcher(email).matches()) {
        return email;
      }
    }
    throw ApiErrors.invalidField(field, field + " must be an email address");
  }

  /**
   * The one spelling of an account's address: trimmed and lowercased, so "Ann@Example.com" and "ann@example.com" are
   * the same account, the same login code and the same rate-limit bucket.
   */
  public static String normalize(Object raw, String field) {
    return address(raw, field).toLowerCase(Locale.ROOT);
  }
}
