package io.slabtrack.cluster.salelock;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.hazelcast.HazelcastConfigFactory;
import java.util.Map;
import java.util.Optional;

/** Bare Hazelcast members with our configuration (sale-locks' map included), for tests of the map's own behaviour. */
final class SaleLockMembers {
  private SaleLockMembers() {
  }

  /** A member of {@code cluster} on {@code port}, joining through {@code members} ("host:port,..."). */
  static HazelcastInstance member(String cluster, int port, String members) {
    NodeConfig node = NodeConfig.load(new Settings(Map.of("JWT_SECRET", "a-node-secret-of-at-least-32-bytes-0123456789",
        "HZ_CLUSTER_NAME", cluster, "BIND_HOST", "127.0.0.1", "HZ_PORT", String.valueOf(port),
        "HZ_MEMBERS", members, "HZ_MIN_MEMBERS", "1")), RunMode.NODE, Optional.of(AppName.STOREFRONT));
    return Hazelcast.newHazelcastInstance(HazelcastConfigFactory.build(node, Optional.empty(), "storefront"));
  }
}
