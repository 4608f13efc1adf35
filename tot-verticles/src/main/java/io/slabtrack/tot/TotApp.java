package io.slabtrack.tot;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.config.AppName;

/** The Tot app's contribution to a node: its migrations (classpath:db/tot), verticles and routes. */
public final class TotApp implements AppModule {

  @Override
  public AppName name() {
    return AppName.TOT;
  }
}
