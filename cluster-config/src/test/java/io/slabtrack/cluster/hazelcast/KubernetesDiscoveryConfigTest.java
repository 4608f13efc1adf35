package io.slabtrack.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * HZ_DISCOVERY: the Hazelcast join the config factory builds — TCP-IP with the static list (as before), or the
 * built-in Kubernetes discovery by a headless Service's DNS name, with exactly one join method on either way, and
 * the split-brain minimum as the operator set it.
 */
class KubernetesDiscoveryConfigTest {
  private static Map<String, String> nodeEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("JWT_SECRET", "a-node-secret-of-at-least-32-bytes-0123456789");
    env.put("HZ_CLUSTER_NAME", "k7Qw-cluster-secret-Zp3v");
    env.put("BIND_HOST", "10.1.2.3");
    return env;
  }

  private static NodeConfig node(Map<String, String> env) {
    return NodeConfig.load(new Settings(env), RunMode.NODE, Optional.of(AppName.TOT));
  }

  private static Config build(Map<String, String> env) {
    return HazelcastConfigFactory.build(node(env), Optional.empty(), "tot");
  }

  @Test
  void kubernetesDiscoveryLooksUpTheHeadlessServiceAndNothingElse() {
    Map<String, String> env = nodeEnv();
    env.put("HZ_DISCOVERY", "kubernetes");
    env.put("HZ_KUBERNETES_SERVICE_DNS", "slabtrack-hazelcast.shop.svc.cluster.local");
    env.put("HZ_MIN_MEMBERS", "3");
    env.put("HZ_PORT", "5701");
    Config config = build(env);
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties())
        .containsEntry("service-dns", "slabtrack-hazelcast.shop.svc.cluster.local")
        .containsEntry("service-port", "5701");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    join.verify(); // Hazelcast's own check: one join method only
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.1.2.3");
    assertThat(config.getSplitBrainProtectionConfig(HazelcastConfigFactory.SPLIT_BRAIN_PROTECTION)
        .getMinimumClusterSize()).isEqualTo(3);
  }

  @Test
  void tcpStaysTheDefaultWithTheMajorityOfTheListUnlessSetExplicitly() {
    Map<String, String> env = nodeEnv();
    env.put("HZ_MEMBERS", "10.1.2.3:5701,10.1.2.4:5701,10.1.2.5:5701,10.1.2.6:5701");
    Config config = build(env);
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).hasSize(4);
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    join.verify();
    assertThat(config.getSplitBrainProtectionConfig(HazelcastConfigFactory.SPLIT_BRAIN_PROTECTION)
        .getMinimumClusterSize()).isEqualTo(3);
    env.put("HZ_MIN_MEMBERS", "2"); // the explicit setting wins over the list's majority
    assertThat(build(env).getSplitBrainProtectionConfig(HazelcastConfigFactory.SPLIT_BRAIN_PROTECTION)
        .getMinimumClusterSize()).isEqualTo(2);
  }

  @Test
  void kubernetesNeedsTheServiceNameAndAnExplicitMinimum() {
    Map<String, String> env = nodeEnv();
    env.put("HZ_DISCOVERY", "kubernetes");
    env.put("HZ_MIN_MEMBERS", "3");
    assertThatThrownBy(() -> node(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("HZ_KUBERNETES_SERVICE_DNS is required");
    env.put("HZ_KUBERNETES_SERVICE_DNS", "slabtrack-hazelcast");
    env.remove("HZ_MIN_MEMBERS");
    assertThatThrownBy(() -> node(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("HZ_MIN_MEMBERS is required with HZ_DISCOVERY=kubernetes");
    env.put("HZ_MIN_MEMBERS", "3");
    env.put("HZ_KUBERNETES_SERVICE_DNS", "bad name;rm");
    assertThatThrownBy(() -> node(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("HZ_KUBERNETES_SERVICE_DNS must be a DNS name");
    env.put("HZ_DISCOVERY", "multicast");
    assertThatThrownBy(() -> node(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("HZ_DISCOVERY must be tcp or kubernetes");
  }
}
