package io.slabtrack.launcher.runtime;

import io.slabtrack.cluster.app.AppModule;
import io.slabtrack.cluster.app.AppRuntime;
import io.slabtrack.cluster.app.NodeServices;
import io.slabtrack.cluster.app.RunningNode;
import io.slabtrack.cluster.auth.JwtKeys;
import io.slabtrack.cluster.auth.TokenService;
import io.slabtrack.cluster.bridge.BridgeSettings;
import io.slabtrack.cluster.bridge.TcpBridge;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.hazelcast.AdvertisedAddresses;
import io.slabtrack.cluster.hazelcast.ClusterBootstrap;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.hazelcast.EventBusTls;
import io.slabtrack.cluster.hazelcast.HazelcastConfigFactory;
import io.slabtrack.cluster.health.KeyFingerprints;
import io.slabtrack.cluster.logging.LogIdentity;
import io.slabtrack.cluster.salelock.SaleLockNode;
import io.slabtrack.cluster.salelock.SaleLocks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Joins the cluster, publishes this node's JWT key fingerprints, then starts the given apps one after another. */
public final class NodeStarter {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStarter.class);

  private NodeStarter() {
  }

  public static Future<RunningNode> start(NodeConfig config, Settings settings, List<AppModule> modules,
                                          boolean seedDemo) {
    modules.forEach(m -> m.checkSettings(settings, config.mode())); // a ConfigException here: exit 2, nothing joined
    String apps = modules.stream().map(m -> m.name().id()).collect(Collectors.joining(","));
    LogIdentity.app(apps);
    var hzConfig = HazelcastConfigFactory.build(config, settings.optional("HZ_CONFIG"), apps);
    Optional<EventBusTls> busTls = EventBusTls.load(settings);
    if (busTls.isEmpty() && config.mode() == RunMode.NODE) {
      LOG.warn("the event bus is plaintext and unauthenticated ({}, {}, {} not set): keep BIND_HOST on a private "
          + "network (README, Running across machines)", EventBusTls.KEY, EventBusTls.CERT, EventBusTls.TRUST);
    }
    long started = System.nanoTime();
    int busPort = settings.integer("EVENTBUS_PORT", 0, 0, 65535);
    AdvertisedAddresses advertised = AdvertisedAddresses.load(settings, config.bindHost());
    return ClusterBootstrap.start(hzConfig, config.bindHost(), busPort, advertised, busTls).compose(cluster -> {
      LogIdentity.node(cluster.nodeId());
      // never the cluster name: in node mode it is the cluster's shared secret
      LOG.info("joined the cluster as {} with {} member(s) in {} ms", cluster.nodeId(),
          cluster.members().size(), (System.nanoTime() - started) / 1_000_000);
      JwtKeys keys = JwtKeys.of(config.jwtSecret(), config.jwtSecretPrevious());
      KeyFingerprints fingerprints = new KeyFingerprints(cluster, keys.fingerprints(),
          modules.stream().map(AppModule::name).toList());
      NodeServices services = new NodeServices(cluster, config, keys, new TokenService(cluster.vertx(), keys),
          fingerprints, new SaleLocks(cluster.vertx(), cluster.hazelcast(), config.saleLocks()));
      // a promise with no context: once startup fails Vert.x is closed, and a failure routed through one of its
      // (closed) event loops would never reach the waiting main thread — the process hung instead of exiting
      Promise<RunningNode> outcome = Promise.promise();
      fingerprints.publish()
          .compose(x -> SaleLockNode.deploy(services))
          .compose(x -> StripeSimulatorStarter.startIfWanted(services, modules))
          .compose(x -> ShippoSimulatorStarter.startIfWanted(services, modules))
          .compose(x -> startApps(services, modules, seedDemo))
          .compose(node -> startBridge(services, BridgeSettings.load(settings, config.mode(), config.bindHost()))
              .map(node))
          .compose(node -> fingerprints.evaluate().map(verdict -> node))
          .onComplete(ar -> {
            if (ar.succeeded()) {
              outcome.complete(ar.result());
            } else {
              LOG.error("startup failed; leaving the cluster", ar.cause());
              outcome.fail(ar.cause());
              closeQuietly(cluster);
            }
          });
      return outcome.future();
    });
  }

  private static Future<RunningNode> startApps(NodeServices services, List<AppModule> modules, boolean seedDemo) {
    List<AppRuntime> started = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (AppModule module : modules) {
      chain = chain.compose(x -> AppRuntime.start(services, module, seedDemo).map(rt -> {
        started.add(rt);
        return null;
      }));
    }
    return chain.map(x -> new RunningNode(services, List.copyOf(started)));
  }

  /** The TCP event-bus bridge for services outside the cluster, when {@code EVENTBUS_BRIDGE_PORT} asks for one. */
  private static Future<Void> startBridge(NodeServices services, BridgeSettings bridge) {
    if (bridge.port().isEmpty()) {
      return Future.succeededFuture();
    }
    TcpBridge tcp = new TcpBridge(services.cluster().vertx(), services.tokens(), bridge);
    return tcp.listen(bridge.host(), bridge.port().getAsInt())
        .recover(e -> {
          if (!bridge.anyPortIfBusy()) {
            return Future.failedFuture(e);
          }
          LOG.warn("event-bus bridge port {} is taken ({}); taking a free one", bridge.port().getAsInt(), e.toString());
          return tcp.listen(bridge.host(), 0);
        })
        .onSuccess(port -> LOG.info("event-bus bridge listening on {}:{} (bridge tokens: launcher bridge-token)",
            bridge.host(), port))
        .mapEmpty();
  }

  private static Future<Void> closeQuietly(ClusterNode cluster) {
    return cluster.vertx().close().recover(e -> Future.succeededFuture());
  }
}
