package io.slabtrack.launcher.runtime;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.app.NodeServices;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.stripe.StripeSettings;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the local Stripe simulator before the satellites when payments are simulated (dev mode without
 * {@code STRIPE_SECRET_KEY}, or {@code STRIPE_SIMULATOR=true}), so a person can click through a purchase and the
 * demo shop can be connected. One per machine: a node that finds the port taken uses the one already running.
 */
final class StripeSimulatorStarter {
  private static final Logger LOG = LoggerFactory.getLogger(StripeSimulatorStarter.class);

  private StripeSimulatorStarter() {
  }

  static Future<Void> startIfWanted(NodeServices services, List<AppModule> modules) {
    NodeConfig config = services.config();
    boolean satellite = modules.stream().anyMatch(m -> m.name() != AppName.CORE);
    StripeSettings stripe = StripeSettings.load(config.settings(), config.mode());
    LOG.info("payments: {}", stripe.describe());
    if (!satellite || !stripe.simulator()) {
      return Future.succeededFuture();
    }
    String storefront = config.settings().string("STOREFRONT_PUBLIC_URL",
        "http://127.0.0.1:" + config.httpPort(AppName.STOREFRONT));
    String tot = config.settings().string("TOT_PUBLIC_URL", "http://127.0.0.1:" + config.httpPort(AppName.TOT));
    return DevStripeSimulator.deployIfWanted(services.cluster().vertx(), stripe, storefront, tot).mapEmpty();
  }
}
