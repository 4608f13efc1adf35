package io.slabtrack.core;

import io.slabtrack.cluster.app.AppContext;
import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.core.login.CoreAuth;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/** The Core app's contribution to a node: its migrations (classpath:db/core), verticles and routes. */
public final class CoreApp implements AppModule {
  private CoreAuth auth;

  @Override
  public AppName name() {
    return AppName.CORE;
  }

  @Override
  public void configure(AppContext ctx) {
    auth = new CoreAuth(ctx);
  }

  @Override
  public Future<Void> deployVerticles(AppContext ctx) {
    return auth.deploy();
  }

  @Override
  public void mountRoutes(Router router, AppContext ctx) {
    auth.mount(router);
  }

  @Override
  public Future<Void> seedDemo(AppContext ctx) {
    return auth.seedDemo();
  }
}
