package io.slabtrack.core;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.config.AppName;

/** The Core app's contribution to a node: its migrations (classpath:db/core), verticles and routes. */
public final class CoreApp implements AppModule {

  @Override
  public AppName name() {
    return AppName.CORE;
  }
}
