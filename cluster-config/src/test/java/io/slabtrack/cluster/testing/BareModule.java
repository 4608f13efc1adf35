package io.slabtrack.cluster.testing;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.config.AppName;

/** An app module with no tables of its own, for tests of the shared mechanisms; override what the test needs. */
public class BareModule implements AppModule {
  private final AppName name;

  public BareModule(AppName name) {
    this.name = name;
  }

  @Override
  public AppName name() {
    return name;
  }

  @Override
  public String migrationsLocation() {
    return "classpath:db/none";
  }
}
