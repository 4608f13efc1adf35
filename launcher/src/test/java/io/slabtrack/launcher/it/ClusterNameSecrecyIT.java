package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.testing.TestTokens;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hazelcast OSS lets in any member that knows the cluster name, so node mode treats HZ_CLUSTER_NAME as a secret:
 * a running node never shows it, not in its log (ours or Hazelcast's lines and thread names) and not on /ready.
 */
class ClusterNameSecrecyIT {

  @Test
  void noNodePrintsTheClusterName() throws Exception {
    ClusterFixture cluster = ClusterFixture.shared();
    String secret = cluster.clusterName();
    String operator = TestTokens.operator(cluster.jwtSecret());
    for (AppName app : AppName.values()) {
      NodeProcess node = cluster.node(app);
      NodeProcess.Answer anonymous = node.awaitMembers(3, Duration.ofSeconds(30));
      assertThat(anonymous.body()).doesNotContain(secret);
      assertThat(node.get("/ready", operator).body()).doesNotContain(secret);
      assertThat(node.output()).as(app + "'s log").contains("joined the cluster as").doesNotContain(secret);
    }
  }
}
