package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.app.RunningNode;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.Future;
import java.util.ServiceLoader;

/**
 * What the core benchmarks need from the launcher: a real core node, started as {@code node --app core} starts
 * one. The launcher provides it (META-INF/services): dev-tools is composed by the launcher and cannot depend on it.
 */
public interface CoreNodeStarter {

  Future<RunningNode> start(NodeConfig config, Settings settings);

  static CoreNodeStarter provided() {
    return ServiceLoader.load(CoreNodeStarter.class).findFirst().orElseThrow(() -> new IllegalStateException(
        "no " + CoreNodeStarter.class.getName() + " on the class path: run the benchmarks through the launcher"));
  }
}
