package io.slabtrack.core.channels;

import io.slabtrack.cluster.bus.Addresses;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The channel registry (DOMAIN.md; the same seven rows are in the {@code channels} table). A channel with a
 * publish address has an adapter: engaging it publishes the card there, durably; the others are engaged in core only.
 */
public enum Channel {
  PERSONAL("personal", true, null),
  THISORTHAT("thisorthat", false, Addresses.TOT_CARDS_PUBLISH),
  STOREFRONT("storefront", false, Addresses.STOREFRONT_CARDS_PUBLISH),
  SHOWCASE("showcase", true, null),
  REPACK("repack", true, null),
  EBAY("ebay", false, null),
  WHATNOT("whatnot", true, null);

  public final String slug;
  public final boolean exclusive;
  private final String publishAddress;

  Channel(String slug, boolean exclusive, String publishAddress) {
    this.slug = slug;
    this.exclusive = exclusive;
    this.publishAddress = publishAddress;
  }

  public static Optional<Channel> of(String slug) {
    if (slug == null) {
      return Optional.empty();
    }
    String s = slug.toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(c -> c.slug.equals(s)).findFirst();
  }

  public Optional<String> publishAddress() {
    return Optional.ofNullable(publishAddress);
  }

  /** Two channels may be active together only if neither is exclusive (personal is replaced, not checked). */
  public boolean coexistsWith(Channel other) {
    return this == other || (!exclusive && !other.exclusive);
  }
}
