package io.slabtrack.tot;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.auth.handoff.HandoffLanding;
import io.slabtrack.cluster.config.AppName;
import io.vertx.ext.web.Router;

/** The Tot app's contribution to a node: its migrations (classpath:db/tot), verticles and routes. */
public final class TotApp implements AppModule {

  @Override
  public AppName name() {
    return AppName.TOT;
  }

  @Override
  public void mountRoutes(Router router, AppContext ctx) {
    HandoffLanding.mount(router, ctx);
  }
}
