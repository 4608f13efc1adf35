package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.RunMode;
import io.slabtrack.cluster.config.Settings;
import io.slabtrack.cluster.hazelcast.ClusterBootstrap;
import io.slabtrack.cluster.hazelcast.ClusterNode;
import io.slabtrack.cluster.hazelcast.HazelcastConfigFactory;
import io.vertx.core.Future;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starting the benchmark's own two-member cluster: this JVM plus a responder child JVM from the same jar. */
final class BenchCluster {
  private BenchCluster() {
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Map<String, String> env(String clusterName, int hzPort, String members) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("HZ_CLUSTER_NAME", clusterName);
    env.put("HZ_PORT", String.valueOf(hzPort));
    env.put("HZ_MEMBERS", members);
    env.put("HZ_MIN_MEMBERS", "1");
    // the benchmark mints no tokens; node mode just insists on a key
    env.putIfAbsent("JWT_SECRET", "benchmark-only-secret-0123456789abcdef");
    env.putIfAbsent("TOT_SEED_KEY", "benchmark-only-seed-key-0123456789abcdef");
    return env;
  }

  static Future<ClusterNode> join(Map<String, String> env, String role) {
    NodeConfig config = config(env);
    return ClusterBootstrap.start(HazelcastConfigFactory.build(config, Optional.empty(), role), config.bindHost());
  }

  static NodeConfig config(Map<String, String> env) {
    return NodeConfig.load(new Settings(env), RunMode.NODE, Optional.of(AppName.CORE));
  }

  /** Starts {@code bench responder} in a child JVM; its output goes to a temp log. */
  static Process startResponder(Map<String, String> env, String... extraArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of("bench", "responder"));
    args.addAll(List.of(extraArgs));
    return startChild(env, "responder", "512m", args);
  }

  /** Starts {@code node --app <app>} (a real app node) in a child JVM; its output goes to a temp log. */
  static Process startNode(Map<String, String> env, String app) throws Exception {
    return startNode(env, app, "768m");
  }

  /** The same with another maximum heap (the soak gives the app room to show growth, not to hide it). */
  static Process startNode(Map<String, String> env, String app, String heap) throws Exception {
    return startChild(env, "node-" + app, heap, List.of("node", "--app", app));
  }

  private static Process startChild(Map<String, String> env, String name, String heap, List<String> args)
      throws Exception {
    Path jar = Path.of(BenchCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
        "-cp", jar.toString(), "io.slabtrack.launcher.Main"));
    command.addAll(args);
    File log = File.createTempFile("slabtrack-bench-" + name, ".log");
    System.out.println("child " + name + " logs to " + log);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
    pb.environment().putAll(env);
    return pb.start();
  }
}
