package io.slabtrack.launcher.runtime;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.app.NodeServices;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.shipping.ShippoSettings;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the local Shippo simulator before the satellites when shipping is simulated (dev mode without
 * {@code SHIPPO_API_TOKEN}, or {@code SHIPPO_SIMULATOR=true}), delivering tracking events to both satellites.
 * One per machine: a node that finds the port taken uses the one already running.
 */
final class ShippoSimulatorStarter {
  private static final Logger LOG = LoggerFactory.getLogger(ShippoSimulatorStarter.class);

  private ShippoSimulatorStarter() {
  }

  static Future<Void> startIfWanted(NodeServices services, List<AppModule> modules) {
    NodeConfig config = services.config();
    boolean satellite = modules.stream().anyMatch(m -> m.name() != AppName.CORE);
    ShippoSettings shippo = ShippoSettings.load(config.settings(), config.mode());
    if (!satellite) {
      return Future.succeededFuture();
    }
    LOG.info("shipping: {}", shippo.describe());
    if (!shippo.simulator()) {
      return Future.succeededFuture();
    }
    String storefront = config.settings().string("STOREFRONT_PUBLIC_URL",
        "http://127.0.0.1:" + config.httpPort(AppName.STOREFRONT));
    String tot = config.settings().string("TOT_PUBLIC_URL", "http://127.0.0.1:" + config.httpPort(AppName.TOT));
    return DevShippoSimulator.deployIfWanted(services.cluster().vertx(), shippo, storefront, tot).mapEmpty();
  }
}
