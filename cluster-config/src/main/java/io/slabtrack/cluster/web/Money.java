package io.slabtrack.cluster.web;

import java.text.NumberFormat;
import java.util.Locale;

/** Cents as a buyer reads them ({@code $1,234.50}), and dollar amounts typed into forms: one rule for every app. */
public final class Money {
  private Money() {
  }

  public static String usd(Long cents) {
    if (cents == null) {
      return "";
    }
    NumberFormat f = NumberFormat.getCurrencyInstance(Locale.US);
    return f.format(cents / 100.0);
  }

  /** Cents as a form field shows them: {@code 1234.50}; empty for none. */
  public static String plain(Long cents) {
    return cents == null ? "" : java.math.BigDecimal.valueOf(cents, 2).toPlainString();
  }

  /**
   * A dollar amount typed into a form ({@code 12}, {@code 12.5}, {@code $1,234.50}) in cents; null when blank.
   *
   * @throws NumberFormatException when it is not a plain amount (up to 8 digits of dollars, 2 of cents)
   */
  public static Long parse(String typed) {
    if (typed == null || typed.isBlank()) {
      return null;
    }
    String plain = typed.strip().replace("$", "").replace(",", "");
    if (!plain.matches("\\d{1,8}(\\.\\d{1,2})?")) {
      throw new NumberFormatException("not an amount: " + typed);
    }
    return new java.math.BigDecimal(plain).movePointRight(2).longValueExact();
  }
}
