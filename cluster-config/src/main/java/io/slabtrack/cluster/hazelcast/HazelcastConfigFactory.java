package io.slabtrack.cluster.hazelcast;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.impl.RecentlyActiveSplitBrainProtectionFunction;
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
  /**
   * Failure detection, measured on loopback (README "Running across machines"): a member silent for this long is
   * removed, so a frozen or cut-off member's partitions move to the others within ~6 s instead of Hazelcast's 60 s.
   */
  public static final int MAX_NO_HEARTBEAT_SECONDS = 5;
  /** A peer whose last heartbeat is older than this no longer counts towards {@code HZ_MIN_MEMBERS}. */
  public static final int HEARTBEAT_TOLERANCE_MILLIS = 3500;
  /** A remote call without an answer (or an operation heartbeat) for this long fails instead of waiting 60 s. */
  public static final int OPERATION_CALL_TIMEOUT_MILLIS = 4000;

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
    failureDetection(config);
    // the cluster name is a secret in node mode: Hazelcast would otherwise print it in front of every log line
    // ("[host]:port [cluster-name] [version]") and in every thread name (default instance name "_hzInstance_1_<name>")
    config.setProperty("hazelcast.logging.details.enabled", "false");
    config.setInstanceName("slabtrack-" + apps.replace(',', '-') + "-" + UUID.randomUUID().toString().substring(0, 8));

    NetworkConfig net = config.getNetworkConfig();
    net.setPort(node.hazelcastPort());
    // dev mode takes the next free port if another dev JVM runs; a clustered node must be where HZ_MEMBERS says
    net.setPortAutoIncrement(node.mode() == RunMode.DEV);
    net.getInterfaces().setEnabled(true).clear().addInterface(node.bindHost());
    // behind NAT or a proxy the other members connect to HZ_PUBLIC_ADDRESS, not to where this member listens
    AdvertisedAddresses.load(node.settings(), node.bindHost()).applyTo(net);
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

    // counted on recent heartbeats, not on the member list: a member cut off (or just back from a pause) refuses
    // within ~4 s, instead of when the member list finally shrinks. (2.5 s refused healthy members of a 2-core
    // machine at load 30 whose heartbeats came late.)
    config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true,
        node.minClusterMembers()).setFunctionImplementation(new RecentlyActiveSplitBrainProtectionFunction(
        node.minClusterMembers(), HEARTBEAT_TOLERANCE_MILLIS)));
    config.getMemberAttributeConfig().setAttribute(ATTR_APPS, apps);
    config.getSerializationConfig().addDataSerializableFactory(LockProcessors.FACTORY_ID, LockProcessors.FACTORY);
    config.getSerializationConfig().setJavaSerializationFilterConfig(DeserializationAllowList.filter());
    return config;
  }

  /**
   * Hazelcast's defaults wait 60 s for a silent member and 60 s for a remote answer, and retry a call 250 times
   * 500 ms apart: an operation on a frozen member's partition hung for a minute. Set only where the base XML (or
   * the {@code HZ_CONFIG} file) says nothing, so an operator can still tune them there.
   */
  private static void failureDetection(Config config) {
    setIfAbsent(config, "hazelcast.max.no.heartbeat.seconds", String.valueOf(MAX_NO_HEARTBEAT_SECONDS));
    setIfAbsent(config, "hazelcast.operation.call.timeout.millis", String.valueOf(OPERATION_CALL_TIMEOUT_MILLIS));
    // a write whose backup member froze answers after 1 s without its ack (as it did after 5 s), within the
    // lock call's deadline; the backup is re-synced once that member is removed or answers again
    setIfAbsent(config, "hazelcast.operation.backup.timeout.millis", "1000");
    // a call retries while partitions move (a member left, the cluster forms or merges): ~10 s of 100 ms retries
    // bridges that under load, not two minutes; lock calls have their own, shorter deadline
    setIfAbsent(config, "hazelcast.invocation.max.retry.count", "100");
    setIfAbsent(config, "hazelcast.invocation.retry.pause.millis", "100");
    // the master looks for the other half of a healed split every 5 s (defaults: 300 s, then 120 s)
    setIfAbsent(config, "hazelcast.merge.first.run.delay.seconds", "5");
    setIfAbsent(config, "hazelcast.merge.next.run.delay.seconds", "5");
  }

  private static void setIfAbsent(Config config, String name, String value) {
    if (config.getProperty(name) == null) {
      config.setProperty(name, value);
    }
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
