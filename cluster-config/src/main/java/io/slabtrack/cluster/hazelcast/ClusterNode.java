package io.slabtrack.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Set;

/** A clustered Vert.x instance with our own reference to its Hazelcast member (no reaching into Vert.x internals). */
public record ClusterNode(Vertx vertx, HazelcastClusterManager clusterManager) {

  public HazelcastInstance hazelcast() {
    return clusterManager.getHazelcastInstance();
  }

  public String nodeId() {
    return clusterManager.getNodeId();
  }

  public boolean isRunning() {
    HazelcastInstance hz = hazelcast();
    return hz != null && hz.getLifecycleService().isRunning();
  }

  /** Current members, oldest first (Hazelcast keeps join order). */
  public Set<Member> members() {
    return hazelcast().getCluster().getMembers();
  }
}
