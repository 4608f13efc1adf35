package io.slabtrack.cluster.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The security-relevant defaults of the configuration: what node mode refuses, where dev mode listens. */
class NodeConfigTest {
  private static final String JWT = "a-node-secret-of-at-least-32-bytes-0123456789";
  private static final String CLUSTER_SECRET = "k7Qw-cluster-secret-Zp3v";

  private static NodeConfig load(RunMode mode, Map<String, String> env) {
    return NodeConfig.load(new Settings(env), mode, Optional.of(AppName.CORE));
  }

  private static Map<String, String> nodeEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("JWT_SECRET", JWT);
    env.put("HZ_CLUSTER_NAME", CLUSTER_SECRET);
    return env;
  }

  @Test
  void nodeModeRefusesToJoinWithoutAClusterSecret() {
    Map<String, String> env = nodeEnv();
    env.remove("HZ_CLUSTER_NAME");
    assertThatThrownBy(() -> load(RunMode.NODE, env)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("HZ_CLUSTER_NAME is required in node mode");
  }

  @Test
  void nodeModeRefusesTheOldDefaultAndShortNamesWithoutEchoingThem() {
    Map<String, String> env = nodeEnv();
    for (String weak : new String[] {"slabtrack", "slabtrack-prod", "123456789012345"}) {
      env.put("HZ_CLUSTER_NAME", weak);
      assertThatThrownBy(() -> load(RunMode.NODE, env)).isInstanceOf(ConfigException.class)
          .hasMessageContaining("HZ_CLUSTER_NAME must be at least 16 characters")
          .hasMessageNotContaining(weak);
    }
    env.put("HZ_CLUSTER_NAME", "1234567890123456");
    assertThat(load(RunMode.NODE, env).clusterName()).isEqualTo("1234567890123456");
  }

  @Test
  void devModeNeedsNoClusterSecretAndNeverJoinsAnotherDevJvm() {
    NodeConfig a = load(RunMode.DEV, Map.of());
    NodeConfig b = load(RunMode.DEV, Map.of());
    assertThat(a.clusterName()).startsWith("slabtrack-dev-").isNotEqualTo(b.clusterName());
    assertThat(load(RunMode.DEV, Map.of("HZ_CLUSTER_NAME", "mine")).clusterName()).isEqualTo("mine");
  }

  @Test
  void secretsStayOutOfTheConfigsToString() {
    Map<String, String> env = nodeEnv();
    env.put("JWT_SECRET_PREVIOUS", "the-previous-secret-of-at-least-32-bytes-xyz");
    String printed = load(RunMode.NODE, env).toString();
    assertThat(printed).contains("hazelcastPort=5701")
        .doesNotContain(CLUSTER_SECRET).doesNotContain(JWT).doesNotContain("the-previous-secret");
  }

  @Test
  void devModeWithThePublicSecretListensOnLoopbackOnly() {
    NodeConfig dev = load(RunMode.DEV, Map.of());
    assertThat(dev.usingDevJwtSecret()).isTrue();
    assertThat(dev.httpHost()).isEqualTo("127.0.0.1");
    assertThat(dev.exposesDevSecret()).isFalse();
  }

  @Test
  void devModeWithItsOwnSecretListensEverywhereLikeANode() {
    assertThat(load(RunMode.DEV, Map.of("JWT_SECRET", JWT)).httpHost()).isEqualTo("0.0.0.0");
    assertThat(load(RunMode.NODE, nodeEnv()).httpHost()).isEqualTo("0.0.0.0");
  }

  @Test
  void anExplicitHttpHostWinsAndIsFlaggedWhenItExposesThePublicSecret() {
    NodeConfig exposed = load(RunMode.DEV, Map.of("HTTP_HOST", "0.0.0.0"));
    assertThat(exposed.httpHost()).isEqualTo("0.0.0.0");
    assertThat(exposed.exposesDevSecret()).isTrue();

    assertThat(load(RunMode.DEV, Map.of("HTTP_HOST", "localhost")).exposesDevSecret()).isFalse();
    assertThat(load(RunMode.DEV, Map.of("HTTP_HOST", "0.0.0.0", "JWT_SECRET", JWT)).exposesDevSecret()).isFalse();
  }
}
