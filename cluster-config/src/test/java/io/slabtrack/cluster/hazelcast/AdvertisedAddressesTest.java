package io.slabtrack.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.ConfigException;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.eventbus.EventBusOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * HZ_PUBLIC_ADDRESS and EVENTBUS_PUBLIC_HOST / _PORT: a node behind NAT or a proxy advertises where the others reach
 * it while it still listens where it did; unset, it advertises where it listens; a malformed value stops startup.
 */
class AdvertisedAddressesTest {
  private static Map<String, String> nodeEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("JWT_SECRET", "a-node-secret-of-at-least-32-bytes-0123456789");
    env.put("HZ_CLUSTER_NAME", "k7Qw-cluster-secret-Zp3v");
    env.put("BIND_HOST", "10.1.2.3");
    env.put("HZ_PORT", "5701");
    env.put("HZ_MEMBERS", "203.0.113.7:15701,203.0.113.8:15701");
    return env;
  }

  private static NodeConfig node(Map<String, String> env) {
    return NodeConfig.load(new Settings(env), RunMode.NODE, Optional.of(AppName.TOT));
  }

  private static EventBusOptions bus(Map<String, String> env) {
    return ClusterBootstrap.busOptions("10.1.2.3", 5801, AdvertisedAddresses.load(new Settings(env), "10.1.2.3"));
  }

  @Test
  void unsetANodeAdvertisesWhereItListens() {
    Config config = HazelcastConfigFactory.build(node(nodeEnv()), Optional.empty(), "tot");
    assertThat(config.getNetworkConfig().getPublicAddress()).isNull();
    EventBusOptions bus = bus(nodeEnv());
    assertThat(bus.getHost()).isEqualTo("10.1.2.3");
    assertThat(bus.getPort()).isEqualTo(5801);
    assertThat(bus.getClusterPublicHost()).isEqualTo("10.1.2.3");
    assertThat(bus.getClusterPublicPort()).as("the bus's own port").isEqualTo(new EventBusOptions()
        .getClusterPublicPort());
  }

  @Test
  void aNodeBehindAProxyAdvertisesTheProxyAndStillListensOnItsOwnAddress() {
    Map<String, String> env = nodeEnv();
    env.put("HZ_PUBLIC_ADDRESS", "203.0.113.7:15701");
    env.put("EVENTBUS_PUBLIC_HOST", "203.0.113.7");
    env.put("EVENTBUS_PUBLIC_PORT", "15801");
    Config config = HazelcastConfigFactory.build(node(env), Optional.empty(), "tot");
    assertThat(config.getNetworkConfig().getPublicAddress()).isEqualTo("203.0.113.7:15701");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.1.2.3");
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("203.0.113.7:15701", "203.0.113.8:15701");
    EventBusOptions bus = bus(env);
    assertThat(bus.getHost()).isEqualTo("10.1.2.3");
    assertThat(bus.getPort()).isEqualTo(5801);
    assertThat(bus.getClusterPublicHost()).isEqualTo("203.0.113.7");
    assertThat(bus.getClusterPublicPort()).isEqualTo(15801);
  }

  @Test
  void onlyThePortCanBeAdvertisedTooAndAnIpv6AddressIsBracketed() {
    Map<String, String> env = nodeEnv();
    env.put("EVENTBUS_PUBLIC_PORT", "15801");
    env.put("HZ_PUBLIC_ADDRESS", "[2001:db8::7]:15701");
    assertThat(bus(env).getClusterPublicHost()).isEqualTo("10.1.2.3");
    assertThat(bus(env).getClusterPublicPort()).isEqualTo(15801);
    assertThat(HazelcastConfigFactory.build(node(env), Optional.empty(), "tot").getNetworkConfig()
        .getPublicAddress()).isEqualTo("[2001:db8::7]:15701");
  }

  @Test
  void aMalformedPublicAddressStopsStartup() {
    for (String bad : new String[] {"203.0.113.7", "203.0.113.7:0", "203.0.113.7:70000", ":5701", "a b:5701"}) {
      Map<String, String> env = nodeEnv();
      env.put("HZ_PUBLIC_ADDRESS", bad);
      assertThatThrownBy(() -> node(env)).as(bad).isInstanceOf(ConfigException.class)
          .hasMessageContaining("HZ_PUBLIC_ADDRESS must be host:port");
    }
    Map<String, String> env = nodeEnv();
    env.put("EVENTBUS_PUBLIC_PORT", "0");
    assertThatThrownBy(() -> node(env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("EVENTBUS_PUBLIC_PORT must be between 1 and 65535");
    Map<String, String> env2 = nodeEnv();
    env2.put("EVENTBUS_PUBLIC_HOST", "http://x");
    assertThatThrownBy(() -> node(env2)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("EVENTBUS_PUBLIC_HOST must be a host name");
  }
}
