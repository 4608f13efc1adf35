package io.slabtrack.storefront.pages;

import java.text.NumberFormat;
import java.util.Locale;

/** Cents as a buyer reads them: {@code $1,234.50}. */
final class Money {
  private Money() {
  }

  static String usd(Long cents) {
    if (cents == null) {
      return "";
    }
    NumberFormat f = NumberFormat.getCurrencyInstance(Locale.US);
    return f.format(cents / 100.0);
  }
}
