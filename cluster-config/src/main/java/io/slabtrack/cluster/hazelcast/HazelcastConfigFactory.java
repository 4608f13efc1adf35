package io.slabtrack.cluster.hazelcast;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.salelock.LockProcessors;
import java.io.FileNotFoundException;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds the Hazelcast {@link Config} of a node: the base XML (classpath {@code slabtrack-hazelcast.xml}, or the
 * file named by {@code HZ_CONFIG}) plus what the environment says. Multicast and auto-detection are always off:
 * members find each other only through the TCP-IP list or, with {@code HZ_DISCOVERY=kubernetes}, the addresses of
 * a headless Service ({@link HazelcastDiscovery}), bound to {@code BIND_HOST}. Java deserialization of what
 * other members send is limited to {@link DeserializationAllowList}.
 */
public final class HazelcastConfigFactory {
  public static final String BASE_RESOURCE = "slabtrack-hazelcast.xml";
  public static final String SPLIT_BRAIN_PROTECTION = "slabtrack-min-members";
  public static final String ATTR_APPS = "slabtrack.apps";

  private HazelcastConfigFactory() {
  }

  public static Config build(NodeConfig node, Optional<String> overrideFile, String apps) {
    Config config = load(overrideFile);
    config.setClusterName(node.clusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // split-brain protection is first judged on a heartbeat: at the default 5 s, a fresh member refused sale-lock
    // calls (and delayed startup waiting for them) for up to 5 s
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    // the cluster name is a secret in node mode: Hazelcast would otherwise print it in front of every log line
    // ("[host]:port [cluster-name] [version]") and in every thread name (default instance name "_hzInstance_1_<name>")
    config.setProperty("hazelcast.logging.details.enabled", "false");
    config.setInstanceName("slabtrack-" + apps.replace(',', '-') + "-" + UUID.randomUUID().toString().substring(0, 8));

    NetworkConfig net = config.getNetworkConfig();
    net.setPort(node.hazelcastPort());
    // dev mode takes the next free port if another dev JVM runs; a clustered node must be where HZ_MEMBERS says
    net.setPortAutoIncrement(node.mode() == RunMode.DEV);
    net.getInterfaces().setEnabled(true).clear().addInterface(node.bindHost());
    net.setPublicAddress(null);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    HazelcastDiscovery discovery = HazelcastDiscovery.load(node.settings());
    if (discovery.mode() == HazelcastDiscovery.Mode.KUBERNETES) {
      join.getTcpIpConfig().setEnabled(false);
      // DNS lookup: no Kubernetes API token or RBAC needed; the Service must publish not-ready addresses, since a
      // pod is not ready before it has joined
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", discovery.serviceDns().orElseThrow())
          .setProperty("service-port", String.valueOf(node.hazelcastPort()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(node.hazelcastMembers());
    }

    config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true,
        node.minClusterMembers()));
    config.getMemberAttributeConfig().setAttribute(ATTR_APPS, apps);
    config.getSerializationConfig().addDataSerializableFactory(LockProcessors.FACTORY_ID, LockProcessors.FACTORY);
    config.getSerializationConfig().setJavaSerializationFilterConfig(DeserializationAllowList.filter());
    return config;
  }

  private static Config load(Optional<String> overrideFile) {
    if (overrideFile.isPresent()) {
      try {
        return new FileSystemXmlConfig(overrideFile.get());
      } catch (FileNotFoundException e) {
        throw new ConfigException("HZ_CONFIG names a file that does not exist: " + overrideFile.get());
      }
    }
    return new ClasspathXmlConfig(HazelcastConfigFactory.class.getClassLoader(), BASE_RESOURCE);
  }
}
