package io.slabtrack.launcher.runtime;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.core.CoreApp;
import io.slabtrack.storefront.StorefrontApp;
import io.slabtrack.tot.TotApp;
import java.util.List;

/** The three app modules the launcher can run. */
public final class Apps {
  private Apps() {
  }

  public static List<AppModule> all() {
    return List.of(new CoreApp(), new TotApp(), new StorefrontApp());
  }

  public static AppModule of(AppName name) {
    return all().stream().filter(m -> m.name() == name).findFirst().orElseThrow();
  }
}
