package io.slabtrack.cluster.hazelcast;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Starts a clustered Vert.x on a Hazelcast member. Dev mode and node mode both come through here. */
public final class ClusterBootstrap {
  private ClusterBootstrap() {
  }

  public static Future<ClusterNode> start(Config hazelcastConfig, String bindHost) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig);
    VertxOptions options = new VertxOptions()
        .setEventBusOptions(new EventBusOptions()
            .setHost(bindHost)
            .setClusterPublicHost(bindHost)
            .setPort(0));
    return Vertx.builder()
        .with(options)
        .withClusterManager(manager)
        .buildClustered()
        .map(vertx -> new ClusterNode(vertx, manager));
  }
}
