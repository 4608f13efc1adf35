package io.slabtrack.cluster.bus;

import io.slabtrack.cluster.config.AppName;
import java.util.Optional;

/**
 * Which of our apps sells through a channel, and so is the only one that may claim, release or report orders
 * for it. Channels without an app of ours (eBay, Whatnot…) are sold by hand: no app speaks for them.
 */
public final class ChannelOwners {
  private ChannelOwners() {
  }

  /** The app that sells through {@code channel} (a channel slug), if one of ours does. */
  public static Optional<AppName> appOf(String channel) {
    if (channel == null) {
      return Optional.empty();
    }
    return switch (channel) {
      case "thisorthat" -> Optional.of(AppName.TOT);
      case "storefront" -> Optional.of(AppName.STOREFRONT);
      default -> Optional.empty();
    };
  }

  /** True when {@code app} sells through {@code channel}. */
  public static boolean owns(AppName app, String channel) {
    return app != null && appOf(channel).filter(app::equals).isPresent();
  }
}
