package io.slabtrack.cluster.limits;

import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import java.time.Duration;

/**
 * How much an anonymous buyer may hold and start (checkouts on the Storefront, plays on ToT), per e-mail and per
 * client address. Node mode defaults are what a shop would allow one person: a few open checkouts at once, a handful
 * started per window; an address gets more than an e-mail because several buyers may share one NAT. Dev mode's
 * defaults are ten times higher so a person clicking through by hand never meets them. 0 turns a limit off.
 */
public record BuyerLimitSettings(int pendingPerEmail, int pendingPerAddress, int perEmail, int perAddress,
                                 Duration window) {

  public static BuyerLimitSettings from(Settings s, RunMode mode) {
    int scale = mode == RunMode.DEV ? 10 : 1;
    return new BuyerLimitSettings(
        s.integer("BUYER_LIMIT_PENDING_PER_EMAIL", 3 * scale, 0, 1_000_000),
        s.integer("BUYER_LIMIT_PENDING_PER_ADDRESS", 10 * scale, 0, 1_000_000),
        s.integer("BUYER_LIMIT_PER_EMAIL", 10 * scale, 0, 1_000_000),
        s.integer("BUYER_LIMIT_PER_ADDRESS", 30 * scale, 0, 1_000_000),
        Duration.ofSeconds(s.integer("BUYER_LIMIT_WINDOW_SECONDS", 600, 10, 86_400)));
  }
}
