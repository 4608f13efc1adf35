package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slabtrack.cluster.config.AppName;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A cluster that never forms leaves no node behind: the nodes started before the failing one are stopped before
 * the failure reaches the test. They used to run on (and hold their ports and databases) until the test JVM ended,
 * or for good when it was killed.
 */
class FailedFormationCleanupIT {

  @Test
  void aFormationThatFailsStopsTheNodesItStarted() {
    Set<Long> before = nodeJvms().stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    // started last, after core and ToT are up and running: it exits 2 on the too-short previous key
    Map<AppName, Map<String, String>> badStorefront = Map.of(AppName.STOREFRONT,
        Map.of("JWT_SECRET_PREVIOUS", "too-short"));

    assertThatThrownBy(() -> ClusterFixture.start(badStorefront))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("storefront exited with 2")
        .hasMessageContaining("JWT_SECRET_PREVIOUS must be at least 32 bytes");

    List<ProcessHandle> left = nodeJvms().stream().filter(p -> !before.contains(p.pid())).toList();
    assertThat(left).as("node JVMs still running after the failed formation").isEmpty();
  }

  /** This JVM's descendants running the fat jar (the shared cluster's, if another test formed it, included). */
  private static List<ProcessHandle> nodeJvms() {
    String jar = NodeProcess.jar().getFileName().toString();
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().arguments().map(args -> List.of(args).stream().anyMatch(a -> a.endsWith(jar)))
            .orElse(false))
        .toList();
  }
}
