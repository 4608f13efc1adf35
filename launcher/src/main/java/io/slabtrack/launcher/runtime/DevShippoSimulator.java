package io.slabtrack.launcher.runtime;

import io.slabtrack.cluster.shipping.ShippoSettings;
import io.slabtrack.simulator.shippo.ShippoSimulatorVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the one Shippo simulator both satellites share when {@link ShippoSettings#simulator()} says so, delivering
 * tracking events to both satellites' webhooks with the configured token. A port already taken means another node
 * of this machine started it: fine, not a failure.
 */
public final class DevShippoSimulator {
  public static final String WEBHOOK_PATH = "/api/shipping/webhook";
  private static final Logger LOG = LoggerFactory.getLogger(DevShippoSimulator.class);

  private DevShippoSimulator() {
  }

  public static JsonObject options(ShippoSettings s, String storefrontBaseUrl, String totBaseUrl) {
    JsonArray hooks = new JsonArray();
    s.webhookToken().ifPresent(token -> {
      hooks.add(storefrontBaseUrl + WEBHOOK_PATH + "?token=" + token);
      hooks.add(totBaseUrl + WEBHOOK_PATH + "?token=" + token);
    });
    return new JsonObject().put("port", s.simulatorPort()).put("webhooks", hooks);
  }

  public static Future<Optional<ShippoSimulatorVerticle>> deployIfWanted(Vertx vertx, ShippoSettings s,
                                                                       String storefrontBaseUrl, String totBaseUrl) {
    if (!s.simulator()) {
      return Future.succeededFuture(Optional.empty());
    }
    // one per JVM: Vert.x would share the port between two servers of one JVM and split requests across them
    if (vertx.sharedData().getLocalMap("slabtrack.shippo-simulator").putIfAbsent("started", true) != null) {
      return Future.succeededFuture(Optional.empty());
    }
    ShippoSimulatorVerticle sim = new ShippoSimulatorVerticle(options(s, storefrontBaseUrl, totBaseUrl));
    return vertx.deployVerticle(sim).map(id -> {
      LOG.info("Shippo simulator listening at {}", sim.baseUrl());
      return Optional.of(sim);
    }).recover(t -> {
      if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
        LOG.info("Shippo simulator port {} already in use: assuming another node runs it", s.simulatorPort());
        return Future.succeededFuture(Optional.empty());
      }
      return Future.failedFuture(t);
    });
  }
}
