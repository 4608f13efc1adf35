package io.slabtrack.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dev mode's embedded PostgreSQL path: refused with a clear message as root, and working for an unprivileged
 * user (this test drops to {@code nobody} with runuser when it runs as root, as CI does).
 */
class EmbeddedPostgresDevIT {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresDevIT.class);

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static Map<String, String> env(Path home) {
    Map<String, String> env = new HashMap<>();
    env.put("HZ_CLUSTER_NAME", "slabtrack-it-embedded-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("HZ_PORT", String.valueOf(Ports.free()));
    env.put("SLABTRACK_HOME", home.toString());
    env.put("EMBEDDED_PG_PORT", String.valueOf(Ports.free()));
    env.put("CORE_PORT", String.valueOf(Ports.free()));
    env.put("TOT_PORT", String.valueOf(Ports.free()));
    env.put("STOREFRONT_PORT", String.valueOf(Ports.free()));
    return env;
  }

  @Test
  void asRootDevModeRefusesTheEmbeddedDatabaseAndSaysWhatToDo() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(runningAsRoot(), "only meaningful as root");
    Path home = Files.createTempDirectory("st-embedded-root");
    try (NodeProcess dev = NodeProcess.start("embedded-root", 0, env(home), "dev", "--embedded-postgres")) {
      assertThat(dev.waitForExit(Duration.ofSeconds(30))).as(dev.output()).isEqualTo(2);
      assertThat(dev.output()).contains("cannot start its embedded PostgreSQL as root").contains("PG_HOST=");
    }
  }

  @Test
  void anUnprivilegedUserGetsAnEmbeddedPostgresAndAReadySystem() throws Exception {
    Path dir = Files.createTempDirectory("st-embedded");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
    List<String> prefix = new ArrayList<>();
    if (runningAsRoot()) {
      // the jar must be readable by the unprivileged user wherever the build tree lives
      Path jar = dir.resolve("slabtrack.jar");
      Files.copy(NodeProcess.jar(), jar, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
      System.setProperty("slabtrack.jar.override", jar.toString());
      prefix.addAll(List.of("runuser", "-u", "nobody", "--"));
    }
    try (NodeProcess dev = NodeProcess.startOnFreshPorts(() -> {
      Map<String, String> env = env(home); // new ports on each start
      return NodeProcess.startAs("embedded-dev", Integer.parseInt(env.get("CORE_PORT")), env, prefix, "dev",
          "--embedded-postgres", "--no-demo");
    }, started -> started.awaitOutput("SlabTrack dev mode is ready", Duration.ofSeconds(120)))) {
      NodeProcess.Answer ready = dev.awaitReady(a -> a.status() == 200, Duration.ofSeconds(10));
      assertThat(ready.check("database").orElseThrow().getString("status")).isEqualTo("UP");
      assertThat(dev.output()).contains("embedded PostgreSQL on 127.0.0.1:" + dev.env("EMBEDDED_PG_PORT"));
      LOG.info("FIGURE dev mode with embedded PostgreSQL (first start, binaries unpacked): {} ms",
          dev.millisSinceStart());
      assertThat(dev.terminate(Duration.ofSeconds(60))).isEqualTo(143);
      assertThat(dev.output()).contains("dev stopped");
    } finally {
      System.clearProperty("slabtrack.jar.override");
    }
  }
}
