package io.slabtrack.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Members of one cluster in the test JVM, on free loopback ports: ours built the way NodeStarter builds a node
 * (our Hazelcast configuration, optionally event-bus TLS), and strangers that know only the cluster name and an
 * address, as an attacker on the network would.
 */
final class TestMembers implements AutoCloseable {
  private final String clusterName = "test-members-" + UUID.randomUUID();
  private final List<Integer> seedPorts = new ArrayList<>();
  private final List<ClusterNode> ours = new ArrayList<>();
  private final List<HazelcastInstance> strangers = new ArrayList<>();

  /** @param seeds how many members the TCP-IP list names (the ones started with {@link #start}) */
  TestMembers(int seeds) throws Exception {
    for (int i = 0; i < seeds; i++) {
      seedPorts.add(freePort());
    }
  }

  private List<String> memberList() {
    return seedPorts.stream().map(p -> "127.0.0.1:" + p).toList();
  }

  /** Starts seed member {@code seed} with our configuration; returns once it has joined. */
  ClusterNode start(int seed, Optional<EventBusTls> tls) throws Exception {
    NodeConfig config = NodeConfig.load(new Settings(Map.of(
        "JWT_SECRET", "test-members-secret-0123456789abcdef0123",
        "HZ_CLUSTER_NAME", clusterName,
        "HZ_PORT", String.valueOf(seedPorts.get(seed)),
        "HZ_MEMBERS", String.join(",", memberList()),
        "HZ_MIN_MEMBERS", "1")), RunMode.NODE, Optional.of(AppName.CORE));
    ClusterNode node = ClusterBootstrap.start(HazelcastConfigFactory.build(config, Optional.empty(), "core"),
        config.bindHost(), 0, tls).await(60, TimeUnit.SECONDS);
    ours.add(node);
    return node;
  }

  /** A Hazelcast member with Hazelcast's defaults (no filter of ours), joining through the seeds. */
  HazelcastInstance startStranger() throws Exception {
    Config config = new Config().setClusterName(clusterName).setInstanceName("stranger-" + UUID.randomUUID());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    NetworkConfig net = config.getNetworkConfig().setPort(freePort()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    net.getJoin().getMulticastConfig().setEnabled(false);
    net.getJoin().getAutoDetectionConfig().setEnabled(false);
    net.getJoin().getTcpIpConfig().setEnabled(true).setMembers(memberList());
    HazelcastInstance stranger = Hazelcast.newHazelcastInstance(config);
    strangers.add(stranger);
    return stranger;
  }

  @Override
  public void close() throws Exception {
    for (HazelcastInstance s : strangers) {
      s.shutdown();
    }
    for (ClusterNode node : ours) {
      node.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
