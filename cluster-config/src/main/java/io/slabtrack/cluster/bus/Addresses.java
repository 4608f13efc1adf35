package io.slabtrack.cluster.bus;

import io.slabtrack.cluster.config.AppName;

/**
 * Every event-bus address of the ecosystem, app first, dotted. The JSON bodies and replies are documented in
 * cluster-config/EVENT-BUS.md, the polyglot contract: keep the two in step.
 */
public final class Addresses {
  private Addresses() {
  }

  /** {@code core.ping}, {@code tot.ping}, {@code storefront.ping}: node identity, for operators and tests. */
  public static String ping(AppName app) {
    return app.id() + ".ping";
  }
}
