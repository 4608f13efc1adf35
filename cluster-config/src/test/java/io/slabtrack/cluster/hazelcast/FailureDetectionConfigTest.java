package io.slabtrack.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import com.hazelcast.splitbrainprotection.impl.RecentlyActiveSplitBrainProtectionFunction;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.salelock.SaleLocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The failure-detection settings the config factory adds (README "When a node is cut off or frozen"): seconds,
 * not Hazelcast's minute; the minimum counted on recent heartbeats; the larger side's locks kept on a merge; and an
 * operator's own value in an {@code HZ_CONFIG} file left alone.
 */
class FailureDetectionConfigTest {
  private static NodeConfig node() {
    return NodeConfig.load(new Settings(Map.of("JWT_SECRET", "a-node-secret-of-at-least-32-bytes-0123456789",
        "HZ_CLUSTER_NAME", "k7Qw-cluster-secret-Zp3v", "BIND_HOST", "127.0.0.1",
        "HZ_MEMBERS", "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703")), RunMode.NODE, Optional.of(AppName.TOT));
  }

  @Test
  void aSilentMemberIsDroppedInSecondsAndTheMinimumCountsRecentHeartbeats() {
    Config config = HazelcastConfigFactory.build(node(), Optional.empty(), "tot");
    assertThat(config.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
    assertThat(config.getProperty("hazelcast.operation.call.timeout.millis")).isEqualTo("4000");
    assertThat(config.getProperty("hazelcast.operation.backup.timeout.millis")).isEqualTo("1000");
    assertThat(Integer.parseInt(config.getProperty("hazelcast.invocation.max.retry.count"))
        * Integer.parseInt(config.getProperty("hazelcast.invocation.retry.pause.millis"))).isLessThanOrEqualTo(10_000);
    var protection = config.getSplitBrainProtectionConfig(HazelcastConfigFactory.SPLIT_BRAIN_PROTECTION);
    assertThat(protection.getMinimumClusterSize()).isEqualTo(2);
    assertThat(protection.getFunctionImplementation()).isInstanceOf(RecentlyActiveSplitBrainProtectionFunction.class);
    assertThat(((RecentlyActiveSplitBrainProtectionFunction) protection.getFunctionImplementation())
        .getHeartbeatToleranceMillis()).isEqualTo(HazelcastConfigFactory.HEARTBEAT_TOLERANCE_MILLIS);
    var locks = config.getMapConfig(SaleLocks.MAP);
    assertThat(locks.getMergePolicyConfig().getPolicy()).endsWith(PutIfAbsentMergePolicy.class.getSimpleName());
    assertThat(locks.getSplitBrainProtectionName()).isEqualTo(HazelcastConfigFactory.SPLIT_BRAIN_PROTECTION);
    assertThat(locks.getBackupCount()).isEqualTo(1);
    assertThat(locks.getAsyncBackupCount()).as("two members lost at once keep their locks").isEqualTo(1);
  }

  @Test
  void anOperatorsOwnTimeoutInHzConfigWins() throws Exception {
    Path file = Files.createTempFile("hz", ".xml");
    try {
      Files.writeString(file, """
          <hazelcast xmlns="http://www.hazelcast.com/schema/config">
            <properties><property name="hazelcast.max.no.heartbeat.seconds">15</property></properties>
          </hazelcast>""");
      Config config = HazelcastConfigFactory.build(node(), Optional.of(file.toString()), "tot");
      assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("15");
      assertThat(config.getProperty("hazelcast.operation.call.timeout.millis")).isEqualTo("4000");
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
