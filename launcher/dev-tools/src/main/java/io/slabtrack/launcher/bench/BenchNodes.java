package io.slabtrack.launcher.bench;

import io.slabtrack.cluster.app.RunningNode;
import io.slabtrack.cluster.config.AppName;
import io.slabtrack.cluster.config.NodeConfig;
import io.slabtrack.cluster.config.Settings;
import io.vertx.core.Future;
import java.util.List;
import java.util.ServiceLoader;

/**
 * What the benchmarks need from the launcher: a real node running some apps, started as {@code node --app ...}
 * starts one. The launcher provides it (META-INF/services): dev-tools is composed by the launcher and cannot depend
 * on it or on the apps.
 */
public interface BenchNodes {

  Future<RunningNode> start(NodeConfig config, Settings settings, List<AppName> apps);

  static BenchNodes provided() {
    return ServiceLoader.load(BenchNodes.class).findFirst().orElseThrow(() -> new IllegalStateException(
        "no " + BenchNodes.class.getName() + " on the class path: run the benchmarks through the launcher"));
  }
}
