package io.slabtrack.storefront;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.config.AppName;

/** The Storefront app's contribution to a node: its migrations (classpath:db/storefront), verticles and routes. */
public final class StorefrontApp implements AppModule {

  @Override
  public AppName name() {
    return AppName.STOREFRONT;
  }
}
