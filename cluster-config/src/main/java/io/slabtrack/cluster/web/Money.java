package io.slabtrack.cluster.web;

/** Cents as a buyer reads them ({@code $1,234.50}), and dollar amounts typed into forms: one rule for every app. */
public final class Money {
  private Money() {
  }

  /** {@code $1,234.50}, {@code -$0.05}: what {@code NumberFormat.getCurrencyInstance(Locale.US)} writes, without
   * building one (and its symbols) per call. */
  public static String usd(Long cents) {
    if (cents == null) {
      return "";
    }
    long c = cents;
    String digits = c == Long.MIN_VALUE ? Long.toString(c).substring(1) : Long.toString(Math.abs(c));
    if (digits.length() < 3) {
      digits = "00".substring(digits.length() - 1) + digits;
    }
    int whole = digits.length() - 2;
    StringBuilder b = new StringBuilder(digits.length() + 8);
    if (c < 0) {
      b.append('-');
    }
    b.append('$');
    for (int i = 0; i < whole; i++) {
      if (i > 0 && (whole - i) % 3 == 0) {
        b.append(',');
      }
      b.append(digits.charAt(i));
    }
    return b.append('.').append(digits, whole, digits.length()).toString();
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
