package io.slabtrack.cluster.hazelcast;

import com.hazelcast.config.Config;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.slabtrack.cluster.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Starts a clustered Vert.x on a Hazelcast member, with its metrics registry ({@link NodeMetrics}). Dev mode and
 * node mode both come through here.
 */
public final class ClusterBootstrap {
  private ClusterBootstrap() {
  }

  /** A plaintext event bus: for a cluster of one (tests, benchmarks on loopback). */
  public static Future<ClusterNode> start(Config hazelcastConfig, String bindHost) {
    return start(hazelcastConfig, bindHost, 0, Optional.empty());
  }

  /** A node's event bus on {@code bindHost}, advertised where its own address says the others can reach it. */
  public static Future<ClusterNode> start(Config hazelcastConfig, String bindHost, int busPort,
                                          Optional<EventBusTls> tls) {
    return start(hazelcastConfig, bindHost, busPort, new AdvertisedAddresses(Optional.empty(), bindHost,
        OptionalInt.empty()), tls);
  }

  /**
   * @param busPort the event bus's TCP port on {@code bindHost}; 0 for any free one
   * @param advertised where the other nodes' buses connect to this one ({@code EVENTBUS_PUBLIC_*})
   * @param tls mutual TLS on the event bus (see {@link EventBusTls}); empty for plaintext
   */
  public static Future<ClusterNode> start(Config hazelcastConfig, String bindHost, int busPort,
                                          AdvertisedAddresses advertised, Optional<EventBusTls> tls) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig);
    EventBusOptions bus = busOptions(bindHost, busPort, advertised);
    tls.ifPresent(t -> t.applyTo(bus));
    PrometheusMeterRegistry metrics = NodeMetrics.newRegistry();
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(bus).setMetricsOptions(NodeMetrics.options()))
        .withMetrics(NodeMetrics.factory(metrics))
        .withClusterManager(manager)
        .buildClustered()
        .map(vertx -> {
          NodeMetrics.attach(vertx, metrics);
          return new ClusterNode(vertx, manager);
        });
  }

  static EventBusOptions busOptions(String bindHost, int busPort, AdvertisedAddresses advertised) {
    return advertised.applyTo(new EventBusOptions().setHost(bindHost).setPort(busPort));
  }
}
