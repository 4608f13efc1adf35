package io.slabtrack.core.strategist;

import io.slabtrack.core.channels.Channel;
import java.util.Arrays;
import java.util.Optional;

/** Where a proposal puts a card: a selling channel's pool, or personal (stays where it is, not committed). */
public enum Pool {
  EBAY(Channel.EBAY),
  THISORTHAT(Channel.THISORTHAT),
  STOREFRONT(Channel.STOREFRONT),
  REPACK(Channel.REPACK),
  PERSONAL(Channel.PERSONAL);

  public final Channel channel;

  Pool(Channel channel) {
    this.channel = channel;
  }

  public String slug() {
    return channel.slug;
  }

  public static Optional<Pool> of(String slug) {
    return Arrays.stream(values()).filter(p -> p.slug().equals(slug)).findFirst();
  }

  /** The selling pools, in the order a tie between equal fits is broken. */
  public static final java.util.List<Pool> SELLING = java.util.List.of(THISORTHAT, EBAY, STOREFRONT, REPACK);
}
